"""The language server: findings as editor diagnostics while a post-mortem is written."""
