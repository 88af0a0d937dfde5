#!/usr/bin/env python3
"""The theme's table script (Templates/assets/tables.js) in headless Chromium, over a built site.

  tables_check.py OUTPUT_DIR [PAGE]

Serves OUTPUT_DIR on 127.0.0.1, opens PAGE (default projects/index.html) and checks, on its longest table:
no console error; a header button per column; a click on a number column sorts by the numbers (descending, then
ascending on a second click) with aria-sort set; Enter on a focused header sorts too; typing in the filter box
leaves exactly the rows that contain the text and says how many; clearing it shows every row again. Run with the
site checkers' Python (`make check-site`), which has Selenium; exits 1 on any failure.
"""
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from browser import driver, serve


def main():
    root = sys.argv[1]
    pages = sys.argv[2:] or ["projects/index.html", "platforms/index.html", "policies/index.html"]
    return max(check(root, page) for page in pages)


def check(root, page):
    server = serve(root)
    browser = driver()
    failures = []

    def expect(condition, message):
        if not condition:
            failures.append(message)

    try:
        browser.get("http://127.0.0.1:%d/%s" % (server.server_address[1], page))
        WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, "figure.data-table.is-interactive"))
        figures = browser.find_elements(By.CSS_SELECTOR, "figure.data-table.is-interactive")
        figure = max(figures, key=lambda f: len(f.find_elements(By.CSS_SELECTOR, "tbody tr")))
        rows = lambda: [r for r in figure.find_elements(By.CSS_SELECTOR, "tbody tr") if r.is_displayed()]
        total = len(rows())
        headers = figure.find_elements(By.CSS_SELECTOR, "thead th")
        buttons = figure.find_elements(By.CSS_SELECTOR, "thead th button.sort-button")
        expect(total >= 10, "the longest table on %s has %d rows" % (page, total))
        expect(len(buttons) == len(headers), "%d header buttons for %d headers" % (len(buttons), len(headers)))

        numeric = [i for i, h in enumerate(headers) if "num" in (h.get_attribute("class") or "")]
        expect(numeric, "no number column")
        column = numeric[-1]

        def values():
            cells = [r.find_elements(By.CSS_SELECTOR, "th, td")[column] for r in rows()]
            return [float(c.get_attribute("data-value")) for c in cells if c.get_attribute("data-value")]

        buttons[column].click()
        first = values()
        expect(headers[column].get_attribute("aria-sort") == "descending", "first click: aria-sort %r" % headers[column].get_attribute("aria-sort"))
        expect(len(first) >= 2 and first == sorted(first, reverse=True), "not descending by number: %s" % first[:8])
        buttons[column].click()
        second = values()
        expect(headers[column].get_attribute("aria-sort") == "ascending", "second click: aria-sort %r" % headers[column].get_attribute("aria-sort"))
        expect(second == sorted(second), "not ascending by number: %s" % second[:8])
        expect(sorted(first) == second, "sorting lost or added rows")

        # The keyboard: Enter on another header's button.
        other = 1 if column == 0 else 0
        buttons[other].send_keys(Keys.ENTER)
        expect(headers[other].get_attribute("aria-sort") in ("ascending", "descending"), "Enter did not sort")
        expect(headers[column].get_attribute("aria-sort") is None, "the previous column still says it is sorted")

        # The filter: a word from a row leaves exactly the rows that contain it.
        box = figure.find_element(By.CSS_SELECTOR, ".table-filter input")
        label = figure.find_element(By.CSS_SELECTOR, ".table-filter label")
        expect(label.get_attribute("for") == box.get_attribute("id"), "the filter box has no label")
        texts = [r.text for r in rows()]
        # Two characters of some row's name that not every row has (the fewest-matching of the candidates).
        names = [r.find_elements(By.CSS_SELECTOR, "th, td")[other].text for r in rows()]
        candidates = {name[i:i + 2] for name in names for i in range(0, max(1, len(name) - 1)) if len(name[i:i + 2].strip()) == 2}
        counts = {w: sum(1 for t in texts if w.lower() in t.lower()) for w in candidates}
        word = min(counts, key=lambda w: (counts[w] < 2, counts[w], w)) if counts else texts[0][:2]
        wanted = counts.get(word, 1)
        box.send_keys(word)
        WebDriverWait(browser, 5).until(lambda b: len(rows()) == wanted)
        shown = rows()
        expect(len(shown) == wanted and all(word.lower() in r.text.lower() for r in shown),
               "filter %r: %d rows shown, %d contain it" % (word, len(shown), wanted))
        status = figure.find_element(By.CSS_SELECTOR, ".table-status")
        WebDriverWait(browser, 5).until(lambda b: status.text or status.get_attribute("textContent"))
        expect(("%d / %d" % (wanted, total)) in status.get_attribute("textContent"), "status says %r" % status.get_attribute("textContent"))
        box.clear()
        box.send_keys(" ")
        WebDriverWait(browser, 5).until(lambda b: len(rows()) == total)
        # The site has no favicon, which the browser asks for anyway (the checkers leave that out too).
        severe = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE" and "favicon.ico" not in e.get("message", "")]
        expect(not severe, "console errors: %s" % severe)
        if not failures:
            print("tables: OK on %s: %d rows sorted both ways by column %d and by keyboard; filter %r left %d rows"
                  % (page, total, column + 1, word, wanted))
    finally:
        browser.quit()
        server.shutdown()
    if failures:
        for failure in failures:
            print("tables: FAIL " + failure)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
