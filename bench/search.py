"""Search benchmark: N generated pages, our search API on each engine vs Wagtail's stock search.

    .venv/bin/python bench/search.py                     # N = 100,000
    SIGNPOST_BENCH_STOCK_QUERIES=20 .venv/bin/python bench/search.py   # stock over 20 queries
    SIGNPOST_BENCH_N=5000 .venv/bin/python bench/search.py   # a quick run

The corpus (SIGNPOST_BENCH_CORPUS) is "council" by default: pages written from the demo
journeys' own titles, summaries, steps and residents' questions (fixtures/journeys), with
place names and page qualifiers, and searched with residents' queries (search/tests/data and,
where present, ../shared/search/dev_queries.tsv). "synthetic" is the older corpus of made-up
words, kept to compare with earlier figures.

Everything happens in one run on a throwaway SQLite database: N information pages are
inserted in bulk, indexed by ``search_rebuild`` (embedded, and Elasticsearch when
ELASTICSEARCH_URL is set or a test node can be started) and by Wagtail's database search
backend, then the same queries run through ``GET /api/v1/search/`` on each engine and
through ``Page.objects.live().search(q)[:10]``. Figures: p50/p95 latency, rebuild docs/s,
and ratios against the stock search measured in this same run.
"""

import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="signpost-bench-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
# Every query comes from this one address: lift the per-address search limit for the run.
os.environ["SEARCH_RATE_LIMIT_COUNT"] = "1000000000"

import django  # noqa: E402

django.setup()

import served_search  # noqa: E402  (beside this file)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

N = int(os.environ.get("SIGNPOST_BENCH_N", "100000"))
CORPUS = os.environ.get("SIGNPOST_BENCH_CORPUS", "council")
QUERIES = int(os.environ.get("SIGNPOST_BENCH_QUERIES", "200"))
# Stock Wagtail takes seconds a query on 100,000 council-style pages (over 17 s on average in
# one run): its in-process figure is taken over the first this-many queries so a run ends.
STOCK_QUERIES = int(os.environ.get("SIGNPOST_BENCH_STOCK_QUERIES", str(QUERIES)))
# Served through gunicorn, stock Wagtail's searches at 100,000 council pages take from seconds
# to minutes each (p95 140 s in one run), past any timeout: by default the served stock figure
# is taken up to 20,000 pages ("1" or "0" to force it on or off).
STOCK_SERVED = os.environ.get("SIGNPOST_BENCH_STOCK_SERVED", "1" if N <= 20000 else "0") == "1"
SEED = 20240611

SUBJECTS = (
    "bin collection recycling garden waste council tax housing benefit parking permit blue badge "
    "school admission library allotment pothole street lighting planning application licence "
    "noise complaint pest control adult social care carers childcare elections register voting "
    "fly tipping graffiti tenancy repair homelessness food bank business rates grants"
).split()
VERBS = "apply report pay check find change cancel book request renew appeal register".split()
FILLER = (
    "you can contact the team online by phone or in person most requests take five working days "
    "residents should keep their reference number and check eligibility before applying"
).split()


def pseudo_words(rng, count=20000):
    """Made-up words, so bodies have a realistic spread of vocabulary (not every page matches)."""
    syllables = [
        "ba",
        "ce",
        "di",
        "fo",
        "gu",
        "ha",
        "ke",
        "li",
        "mo",
        "nu",
        "pa",
        "re",
        "si",
        "to",
        "vu",
        "wy",
    ]
    return ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(count)]


PLACES = (
    "Northbrook town centre|Eastfield|Westgate|Millbrook|Hatton Green|Ashford Road|Riverside|"
    "Kingsmead|Oakley Park|Southwark Lane|Brookside estate|Elm Grove|Station Quarter"
).split("|")
QUALIFIERS = (
    "|: what you need to know|: guidance for residents|: frequently asked questions|"
    " in {place}|: changes from April| for landlords| for families| for carers|"
    ": how long it takes|: fees and charges| (easy read)|: who can apply|: contact and opening hours"
).split("|")


def council_text():
    """(titles, sentences, questions) from the demo journeys: the words councils really use."""
    from bs4 import BeautifulSoup

    titles, sentences, questions = [], [], []

    def add(html):
        text = BeautifulSoup(html or "", "html.parser").get_text(" ", strip=True)
        sentences.extend(part.strip() + "." for part in text.split(".") if len(part.split()) > 3)

    for path in sorted((ROOT / "fixtures" / "journeys").glob("*.json")):
        for journey in json.loads(path.read_text()):
            titles.append(journey["title"])
            questions.extend(journey.get("questions", []))
            for key in ("summary", "who_for", "what_happens_next"):
                add(journey.get(key))
            for step in journey.get("steps", []):
                titles.append(step["title"])
                add(step.get("body"))
                for substep in step.get("substeps", []):
                    add(substep.get("body"))
    return titles, sentences, questions


def generate_council_pages(rng):
    """Council-style information pages: a real title with a qualifier or place, a real
    summary, and a body of a dozen sentences from the demo's journeys (so common words such
    as "council" and "your" match most pages, as on a council's site)."""
    titles, sentences, questions = council_text()
    for i in range(N):
        place = rng.choice(PLACES)
        title = rng.choice(titles) + rng.choice(QUALIFIERS).format(place=place)
        summary = rng.choice(sentences)
        body = " ".join(
            [*rng.sample(sentences, rng.randint(8, 16)), rng.choice(questions), f"{place}."]
        )
        yield title, f"page-{i}", summary, body


def generate_pages(rng):
    if CORPUS == "council":
        yield from generate_council_pages(rng)
        return
    vocabulary = pseudo_words(rng)
    for i in range(N):
        subject = " ".join(rng.sample(SUBJECTS, 2))
        verb = rng.choice(VERBS)
        title = f"{verb.capitalize()} {subject} {i}"
        summary = f"How to {verb} {subject} with Northbrook Borough Council."
        body = " ".join(rng.sample(vocabulary, 50) + rng.sample(FILLER, 8) + [rng.choice(SUBJECTS)])
        yield title, f"page-{i}", summary, body


def insert_pages():
    """Insert N live ContentPages in bulk, writing the tree paths directly (treebeard's format)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page

    from cms.models import ContentPage
    from core.models import DeliveryUnit

    unit = DeliveryUnit.objects.create(name="Customer experience", slug="customer-experience")
    parent = Page.get_first_root_node().get_children().first()
    content_type = ContentType.objects.get_for_model(ContentPage)
    locale = Locale.get_default()
    alphabet = Page.alphabet
    rng = random.Random(SEED)

    def step(number):
        digits = ""
        for _ in range(Page.steplen):
            number, remainder = divmod(number, len(alphabet))
            digits = alphabet[remainder] + digits
        return digits

    table = ContentPage._meta.db_table
    rows, children = [], []
    with transaction.atomic():
        for i, (title, slug, summary, body) in enumerate(generate_pages(rng), start=1):
            rows.append(
                Page(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    content_type=content_type,
                    live=True,
                    path=parent.path + step(i),
                    depth=parent.depth + 1,
                    numchild=0,
                    locale=locale,
                    url_path=f"{parent.url_path}{slug}/",
                    translation_key=uuid.uuid4(),
                )
            )
            children.append(
                (
                    summary,
                    json.dumps(
                        [{"type": "text", "value": f"<p>{body}</p>", "id": str(uuid.uuid4())}]
                    ),
                )
            )
            if len(rows) == 2000:
                _flush(rows, children, table, unit)
                rows, children = [], []
        if rows:
            _flush(rows, children, table, unit)
        Page.objects.filter(pk=parent.pk).update(numchild=N)


def _flush(rows, children, table, unit):
    from wagtail.models import Page

    created = Page.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (page_ptr_id, summary, body, delivery_unit_id, review_by) "
            "VALUES (%s, %s, %s, %s, %s)",
            [
                (page.pk, summary, body, unit.pk, "2030-01-01")
                for page, (summary, body) in zip(created, children, strict=True)
            ],
        )


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95) - 1] * 1000


def resident_queries():
    """Residents' queries from the relevance sets, each at most once per round."""
    found = []
    for path in (
        ROOT / "search" / "tests" / "data" / "resident_queries.tsv",
        ROOT.parent / "shared" / "search" / "dev_queries.tsv",
    ):
        if path.exists():
            for line in path.read_text().splitlines():
                if line.strip() and not line.startswith("#"):
                    found.append(line.split("\t")[0])
    return found


def queries():
    rng = random.Random(SEED + 1)
    if CORPUS == "council":
        texts = resident_queries()
        return [texts[i % len(texts)] for i in rng.sample(range(QUERIES * 10), QUERIES)]
    found = []
    for _ in range(QUERIES):
        found.append(" ".join([rng.choice(VERBS), *rng.sample(SUBJECTS, rng.choice([1, 2]))]))
    return found


WARM_UP_SEARCHES = int(os.environ.get("SIGNPOST_BENCH_WARM_UP", "2000"))


def warm_up_queries(count):
    """Searches unlike the measured ones: a verb and one or two council subjects."""
    rng = random.Random(SEED + 2)
    return [
        " ".join([rng.choice(VERBS), *rng.sample(SUBJECTS, rng.choice([1, 2]))])
        for _ in range(count)
    ]


def measure_api(client, texts, es_url=None):
    """p50/p95 latency, and per search: the app's CPU-ms, its SQL statements and, on
    Elasticsearch, the node's CPU-ms and its own query time (from the node's statistics)."""
    from django.test.utils import CaptureQueriesContext

    for text in texts[:10]:  # warm: vocabulary, synonyms, templates
        client.get("/api/v1/search/", {"q": text})
    if es_url:
        # A node that has just started runs its search code interpreted until the JIT has
        # compiled it: over the first couple of thousand searches its CPU per search fell from
        # 53 to 11 ms (6 December). A serving node is long past that, so it is warmed first
        # with other searches (none of the measured ones, so nothing they ask is held anywhere).
        for text in warm_up_queries(WARM_UP_SEARCHES):
            client.get("/api/v1/search/", {"q": text})
    samples, statements = [], []
    node_before = node_stats(es_url)
    cpu_started = time.process_time()
    for text in texts:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get("/api/v1/search/", {"q": text})
            samples.append(time.perf_counter() - started)
        statements.append(len(captured.captured_queries))
        assert response.status_code == 200, response.content[:200]
    app_cpu = (time.process_time() - cpu_started) * 1000 / len(texts)
    node_after = node_stats(es_url)
    p50, p95 = percentiles(samples)
    extra = {
        "app_cpu_ms": app_cpu,
        "sql_max": max(statements),
        "sql_mean": statistics.mean(statements),
    }
    if node_before and node_after:
        extra["es_cpu_ms"] = (node_after[0] - node_before[0]) / len(texts)
        extra["es_query_ms"] = (node_after[1] - node_before[1]) / len(texts)
    return p50, p95, extra


def node_stats(url):
    """(JVM process CPU ms, total shard query ms) of the Elasticsearch node, or None.

    The CPU is read from the kernel (``/proc/<pid>/stat``) when the node runs on this machine:
    the node's own figure is sampled at most once a second (``monitor.process.refresh_interval``),
    which over a few hundred searches is off by several milliseconds a search.
    """
    if not url:
        return None
    import urllib.request

    with urllib.request.urlopen(f"{url}/_nodes/stats/process,indices", timeout=10) as response:
        nodes = json.load(response)["nodes"]
    node_id, node = next(iter(nodes.items()))
    cpu = node["process"]["cpu"]["total_in_millis"]
    local = _local_cpu_ms(url, node_id)
    return (
        cpu if local is None else local,
        node["indices"]["search"]["query_time_in_millis"]
        + node["indices"]["search"]["fetch_time_in_millis"],
    )


def _local_cpu_ms(url, node_id):
    """The node's process CPU in ms from the kernel, if the node is a process on this machine."""
    import urllib.parse
    import urllib.request

    if urllib.parse.urlsplit(url).hostname not in {"127.0.0.1", "localhost", "::1"}:
        return None
    with urllib.request.urlopen(f"{url}/_nodes/{node_id}/process", timeout=10) as response:
        pid = json.load(response)["nodes"][node_id]["process"]["id"]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # another machine's, or a container's, process
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def wait_for_merges(url, limit_seconds=300):
    """Wait until the node has no segment merges running; returns the seconds waited.

    A rebuild leaves the node merging the segments it wrote for a while afterwards: that CPU
    is the rebuild's, not the searches', and a served index has long finished it.
    """
    import urllib.request

    started = time.perf_counter()
    while time.perf_counter() - started < limit_seconds:
        with urllib.request.urlopen(f"{url}/_nodes/stats/indices/merge", timeout=10) as response:
            nodes = json.load(response)["nodes"]
        if all(node["indices"]["merges"]["current"] == 0 for node in nodes.values()):
            break
        time.sleep(1)
    return time.perf_counter() - started


def measure_stock(texts):
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Page

    samples, statements = [], []
    cpu_started = time.process_time()
    for text in texts:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            list(Page.objects.live().search(text)[:10])
            samples.append(time.perf_counter() - started)
        statements.append(len(captured.captured_queries))
    app_cpu = (time.process_time() - cpu_started) * 1000 / len(texts)
    p50, p95 = percentiles(samples)
    return (
        p50,
        p95,
        {
            "app_cpu_ms": app_cpu,
            "sql_max": max(statements),
            "sql_mean": statistics.mean(statements),
        },
    )


def elasticsearch_url():
    if os.environ.get("ELASTICSEARCH_URL"):
        return os.environ["ELASTICSEARCH_URL"], None
    try:
        from tests.harness.elasticsearch import ElasticsearchNode, java_and_maven_available

        ok, reason = java_and_maven_available()
        if not ok:
            print(f"(no Elasticsearch: {reason})")
            return None, None
        node = ElasticsearchNode(heap="1g").start()
        return node.url, node
    except Exception as error:  # the bench still reports the embedded engine
        print(f"(no Elasticsearch: {error})")
        return None, None


def main():
    print(
        f"Signpost search bench: N={N:,} pages ({CORPUS} corpus), {QUERIES} queries,"
        f" database in {WORKDIR}"
    )
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    _, seconds = timed(insert_pages)
    print(f"inserted {N:,} pages in {seconds:.1f}s")

    from wagtail.search.backends import get_search_backend

    from cms.models import ContentPage

    def stock_index():
        backend = get_search_backend()
        queryset = ContentPage.objects.all().order_by("pk")
        for start in range(0, N, 2000):
            backend.add_bulk(ContentPage, list(queryset[start : start + 2000]))

    _, stock_seconds = timed(stock_index)
    stock_rate = N / stock_seconds
    print(f"wagtail database backend indexing: {stock_seconds:.1f}s ({stock_rate:,.0f} docs/s)")

    figures = {}
    client = Client()
    texts = queries()
    stock_p50, stock_p95, stock_extra = measure_stock(texts[:STOCK_QUERIES])
    print(
        f"stock Page.objects.live().search() over {min(STOCK_QUERIES, len(texts))} queries: p50 {stock_p50:.1f} ms, p95 {stock_p95:.1f} ms"
    )
    details = {"wagtail stock": stock_extra}

    with override_settings(ELASTICSEARCH_URL=""):
        _, seconds = timed(
            lambda: call_command(
                "search_rebuild",
                "--engine",
                "embedded",
                "--no-progress",
                verbosity=0,
                stdout=open(os.devnull, "w"),
            )
        )
        rate = N / seconds
        p50, p95, details["embedded"] = measure_api(client, texts)
        figures["embedded"] = (rate, p50, p95)
    served = {}
    if served_search.wrk_available():
        connection.close()  # gunicorn's workers read the same file
        targets = {"embedded": served_search.search_paths(texts)}
        if STOCK_SERVED:
            targets = {"wagtail stock": served_search.stock_paths(texts), **targets}
        else:
            print(
                "(served stock search skipped at this size: SIGNPOST_BENCH_STOCK_SERVED=1 forces it)"
            )
        served.update(served_search.measure(targets, WORKDIR))
    else:
        print("(no wrk: the served figures are skipped; apt install wrk)")

    url, node = elasticsearch_url()
    if url:
        try:
            with override_settings(
                ELASTICSEARCH_URL=url, ELASTICSEARCH_INDEX_PREFIX=f"bench-{uuid.uuid4().hex[:6]}"
            ):
                _, seconds = timed(
                    lambda: call_command(
                        "search_rebuild",
                        "--engine",
                        "elasticsearch",
                        "--no-progress",
                        verbosity=0,
                        stdout=open(os.devnull, "w"),
                    )
                )
                rate = N / seconds
                waited = wait_for_merges(url)
                print(f"(the node finished merging the new index's segments {waited:.0f}s after)")
                p50, p95, details["elasticsearch"] = measure_api(client, texts, es_url=url)
                figures["elasticsearch"] = (rate, p50, p95)
                if served_search.wrk_available():
                    connection.close()
                    served.update(
                        served_search.measure(
                            {"elasticsearch": served_search.search_paths(texts)},
                            WORKDIR,
                            elasticsearch=url,
                            prefix=settings.ELASTICSEARCH_INDEX_PREFIX,
                            node_stats=lambda: node_stats(url),
                        )
                    )
                from search.engines import elasticsearch_engine

                elasticsearch_engine().drop()
        finally:
            if node is not None:
                node.cleanup()

    print()
    print(
        f"{'engine':<16}{'rebuild docs/s':>16}{'API p50 ms':>12}{'API p95 ms':>12}"
        f"{'p50 vs stock':>14}{'p95 vs stock':>14}{'rebuild vs stock':>18}"
    )
    print(
        f"{'wagtail stock':<16}{stock_rate:>16,.0f}{stock_p50:>12.1f}{stock_p95:>12.1f}"
        f"{1:>14.2f}{1:>14.2f}{1:>18.2f}"
    )
    for name, (rate, p50, p95) in figures.items():
        print(
            f"{name:<16}{rate:>16,.0f}{p50:>12.1f}{p95:>12.1f}"
            f"{p50 / stock_p50:>14.2f}{p95 / stock_p95:>14.2f}{rate / stock_rate:>18.2f}"
        )
    print()
    print(
        f"{'per search':<16}{'app CPU ms':>12}{'SQL mean':>10}{'SQL max':>9}"
        f"{'ES CPU ms':>11}{'ES query ms':>13}"
    )
    for name, extra in details.items():
        es_cpu = f"{extra['es_cpu_ms']:.1f}" if "es_cpu_ms" in extra else "-"
        es_query = f"{extra['es_query_ms']:.1f}" if "es_query_ms" in extra else "-"
        print(
            f"{name:<16}{extra['app_cpu_ms']:>12.1f}{extra['sql_mean']:>10.1f}{extra['sql_max']:>9}"
            f"{es_cpu:>11}{es_query:>13}"
        )
    if served:
        stock = served.get("wagtail stock")
        print(
            f"\nserved by gunicorn ({served_search.WORKERS} workers), wrk "
            f"{served_search.CONNECTIONS} connections x {served_search.SECONDS} s:"
        )
        print(
            f"{'target':<16}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}"
            f"{'app CPU ms':>12}{'ES CPU ms':>11}{'p95 vs stock':>14}"
        )
        for name, row in served.items():
            es_cpu = f"{row['es_cpu_ms']:.1f}" if "es_cpu_ms" in row else "-"
            ratio = f"{stock['p95'] / row['p95']:.1f}x" if stock and row["p95"] else "-"
            print(
                f"{name:<16}{row['rps']:>9.1f}{row['p50']:>9.1f}{row['p95']:>9.1f}"
                f"{row['errors']:>8}{row['app_cpu_ms']:>12.1f}{es_cpu:>11}{ratio:>14}"
            )
    print(
        "\n(ratios: ours / stock; below 1 means faster for latency, above 1 means faster for rebuild."
        " Our API figures include facets, highlights, synonyms, query logging and the HTTP layer;"
        " stock is the bare queryset for 10 results.)"
    )


if __name__ == "__main__":
    import shutil

    try:
        main()
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)
