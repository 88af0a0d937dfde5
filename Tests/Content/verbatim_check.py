#!/usr/bin/env python3
"""Flag Content sentences copied verbatim from the source documents (the seeds).

Usage:
    python3 Tests/Content/verbatim_check.py CONTENT_DIR SEEDS_DIR [--min N]
    python3 Tests/Content/verbatim_check.py --self-test

Every Markdown body, front-matter value and data-file text value under CONTENT_DIR is split into
sentences (on 。！？； and line/block breaks, after stripping Markdown and YAML markup). A sentence of
MIN (default 25) or more characters, counted without whitespace, is reported when it occurs verbatim
in any seed, or when it contains a whole seed sentence of that length. Seeds are compared with all
whitespace removed (their hard line wraps joined) and both sides NFKC-normalised, so a copy that only
changed full-width punctuation to half-width, or the reverse, is still caught. Text inside 《》 and
quoted terms in “” (quotes without sentence punctuation inside: titles, names, slogans) count as one
placeholder, so citing a document by its title is not a copy; quoted speech is checked like any text.

Prints FILE:LINE: SENTENCE for each hit. Exit status: 0 clean, 1 hits found, 2 the seeds folder is
missing or empty (or the content folder is missing).

Python 3 standard library only.
"""

import os
import re
import sys
import tempfile
import unicodedata

MIN_LENGTH = 25

# Sentence ends, as they look after NFKC (，；！？： become , ; ! ? :, 。 stays).
SENTENCE_END = re.compile(r"[。!?;…]+|\.{3,}")
WHITESPACE = re.compile(r"\s+")
# A quoted title or term: 《…》 always; “…” when the quote holds no sentence punctuation.
BOOK_TITLE = re.compile(r"《[^《》]*》")
QUOTED_TERM = re.compile(r"“([^“”]*)”")
QUOTE_PUNCT = re.compile(r"[,。!?;:]")

TEXT_SUFFIXES = (".md", ".markdown", ".yaml", ".yml", ".json", ".csv")
MARKDOWN_SUFFIXES = (".md", ".markdown")


def normalise(text):
    """NFKC, no whitespace, quoted titles and terms collapsed to a placeholder."""
    text = unicodedata.normalize("NFKC", text)
    text = WHITESPACE.sub("", text)
    text = BOOK_TITLE.sub("《》", text)

    def term(match):
        inner = match.group(1)
        return match.group(0) if QUOTE_PUNCT.search(inner) else "“”"

    return QUOTED_TERM.sub(term, text)


def split_sentences(text):
    """Split normalised text into sentences (the end punctuation dropped)."""
    return [part for part in SENTENCE_END.split(text) if part]


def measure(sentence):
    return len(sentence)


# ---------------------------------------------------------------- seeds


class Seeds:
    def __init__(self, folder):
        self.texts = {}
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if not os.path.isfile(path) or name.startswith("."):
                continue
            with open(path, encoding="utf-8", errors="replace") as handle:
                self.texts[name] = normalise(handle.read())
        self.joined = "\x00".join(self.texts.values())
        self.sentences = set()
        for text in self.texts.values():
            for sentence in split_sentences(text):
                if measure(sentence) >= MIN_LENGTH:
                    self.sentences.add(sentence)

    def hit(self, sentence):
        """Whether a content sentence copies a seed: it occurs in one, or holds a whole seed sentence."""
        if measure(sentence) < MIN_LENGTH:
            return False
        if sentence in self.joined:
            return True
        return any(seed in sentence for seed in self.sentences if len(seed) <= len(sentence))


# ---------------------------------------------------------------- content


LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
REF_LINK = re.compile(r"!?\[([^\]]*)\]\[[^\]]*\]")
FOOTNOTE_REF = re.compile(r"\[\^[^\]]*\]:?")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
ATTRIBUTES = re.compile(r"\{[#.\-][^}]*\}\s*$")
EMPHASIS = re.compile(r"(\*\*|__|\*|~~|`+)")
BLOCK_PREFIX = re.compile(r"^\s*(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+|\|)+")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
# YAML: a key (plain or quoted) at the start of a line, after "- ", "{" or ","; its colon ends it.
YAML_KEY = re.compile(r"(?:^|(?<=[{,\[]))\s*(?:-\s+)*\"?[A-Za-z_][\w\-]*\"?\s*:(?=\s|$)")
YAML_SYNTAX = re.compile(r"[{}\[\]\"]|^\s*-\s+|^\s*#.*$|\s#\s.*$")


def strip_markdown_line(line):
    line = FOOTNOTE_REF.sub("", line)
    line = LINK.sub(r"\1", line)
    line = REF_LINK.sub(r"\1", line)
    line = HTML_TAG.sub("", line)
    line = ATTRIBUTES.sub("", line)
    line = BLOCK_PREFIX.sub("", line)
    line = EMPHASIS.sub("", line)
    return line.replace("|", "\n")


# Data-file fields that hold names (of projects, platforms, companies, documents): names carry over
# from the sources as they are, so their values are not checked. Front matter is checked in full.
NAME_KEYS = {"name", "title", "host", "item", "carrier", "organisation", "issuer", "doc_number", "panel_title"}


def yaml_text_pieces(line, name_keys=frozenset()):
    """The text values on a YAML line, each as its own piece (keys and syntax removed).

    A value whose key is in name_keys is left out."""
    stripped = line.strip()
    if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
        return []
    pieces = []
    keys = list(YAML_KEY.finditer(line))
    spans = [(None, 0, keys[0].start() if keys else len(line))]
    for index, match in enumerate(keys):
        end = keys[index + 1].start() if index + 1 < len(keys) else len(line)
        key = match.group(0).strip().lstrip("-").strip().rstrip(":").strip().strip('"')
        spans.append((key, match.end(), end))
    for key, start, end in spans:
        if key in name_keys:
            continue
        marked = YAML_SYNTAX.sub("\n", line[start:end])
        # Flow-collection commas separate values; a comma inside Chinese text is full-width.
        marked = re.sub(r",(\s|$)", "\n", marked)
        pieces.extend(piece for piece in marked.split("\n") if piece.strip())
    return pieces


class Piece:
    """A run of text from one block of a file, with the line of each character."""

    def __init__(self):
        self.chars = []
        self.lines = []

    def add(self, text, lineno):
        if self.chars and self.chars[-1] != "\n":
            self.chars.append("\n")
            self.lines.append(lineno)
        for char in text:
            self.chars.append(char)
            self.lines.append(lineno)

    def sentences(self):
        """(line, raw sentence) for each sentence of the piece."""
        text = "".join(self.chars)
        # Lines of one paragraph join (Chinese text wraps without spaces); sentence ends split.
        result = []
        start = 0
        for match in re.finditer(r"[。！？；!?;…]+", text):
            result.append((start, text[start:match.start()]))
            start = match.end()
        result.append((start, text[start:]))
        out = []
        for offset, raw in result:
            if not raw.strip():
                continue
            lead = len(raw) - len(raw.lstrip())
            line = self.lines[min(offset + lead, len(self.lines) - 1)]
            out.append((line, raw.strip()))
        return out


def markdown_pieces(lines, first_line):
    """Paragraph-sized pieces of a Markdown body; fenced blocks are read as YAML."""
    pieces = []
    current = None
    in_fence = False
    for index, line in enumerate(lines):
        lineno = first_line + index
        if re.match(r"^\s*(```|~~~)", line):
            in_fence = not in_fence
            current = None
            continue
        if in_fence:
            for text in yaml_text_pieces(line):
                piece = Piece()
                piece.add(text, lineno)
                pieces.append(piece)
            continue
        if not line.strip() or TABLE_RULE.match(line):
            current = None
            continue
        starts_block = bool(re.match(r"^\s*(#{1,6}\s|[-*+]\s|\d+[.)]\s|\||\[\^)", line))
        text = strip_markdown_line(line)
        if starts_block or current is None:
            current = Piece()
            pieces.append(current)
        for number, part in enumerate(text.split("\n")):
            if number:
                current = Piece()
                pieces.append(current)
            current.add(part, lineno)
        if line.lstrip().startswith("#") or line.lstrip().startswith("|"):
            current = None
    return pieces


def yaml_pieces(lines, first_line, name_keys=frozenset()):
    pieces = []
    for index, line in enumerate(lines):
        for text in yaml_text_pieces(line, name_keys):
            piece = Piece()
            piece.add(text, first_line + index)
            pieces.append(piece)
    return pieces


def file_pieces(path):
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        lines = handle.read().split("\n")
    if not path.lower().endswith(MARKDOWN_SUFFIXES):
        return yaml_pieces(lines, 1, NAME_KEYS)
    body_start = 0
    pieces = []
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                pieces.extend(yaml_pieces(lines[1:index], 2))
                body_start = index + 1
                break
    pieces.extend(markdown_pieces(lines[body_start:], body_start + 1))
    return pieces


def content_files(folder):
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(TEXT_SUFFIXES) and not name.startswith("."):
                yield os.path.join(root, name)


def check(content, seeds):
    """[(path, line, sentence)] for every copied sentence."""
    hits = []
    for path in content_files(content):
        seen = set()
        for piece in file_pieces(path):
            for line, raw in piece.sentences():
                for sentence in split_sentences(normalise(raw)):
                    if (line, sentence) in seen:
                        continue
                    if seeds.hit(sentence):
                        seen.add((line, sentence))
                        hits.append((path, line, raw))
    return hits


# ---------------------------------------------------------------- self-test


def self_test():
    seed_text = (
        "自治区人民政府出台《关于贯彻落实国务院关于强化实施创新驱动发展战略进一步推进大众创业万众创新深入发展的意见的实施意见》（新政发〔2018〕44号）。\n"
        "新疆高新人才大厦针对企业发展情况，建立“企业联络员+创业辅导员+创业导师”创业服务体系，\n"
        "开展“一对一”的创业咨询辅导服务，综合施策、多方发力。\n"
        "如今在天山南北,大众创业、万众创新的热潮正不断翻涌。\n"
    )
    content_text = (
        "---\n"
        "title: 自测\n"
        "summary: 如今在天山南北，大众创业、万众创新的热潮正不断翻涌。\n"
        "---\n\n"
        "依据《关于贯彻落实国务院关于强化实施创新驱动发展战略进一步推进大众创业万众创新深入发展的意见的实施意见》。\n\n"
        "新疆高新人才大厦针对企业发展情况，建立“企业联络员+创业辅导员+创业导师”创业服务体系，\n"
        "开展“一对一”的创业咨询辅导服务，综合施策、多方发力。\n\n"
        "人才大厦用联络员、辅导员和导师三类角色陪伴企业，提供一对一的咨询和辅导服务。\n"
    )
    data_text = (
        "rows:\n"
        "  - {key: a, note: \"如今在天山南北,大众创业、万众创新的热潮正不断翻涌\"}\n"
        "  - {key: b, title: 关于贯彻落实国务院关于强化实施创新驱动发展战略进一步推进大众创业万众创新深入发展的意见的实施意见}\n"
    )
    failures = []
    with tempfile.TemporaryDirectory() as root:
        seeds_dir = os.path.join(root, "seeds")
        content_dir = os.path.join(root, "Content")
        os.makedirs(seeds_dir)
        os.makedirs(os.path.join(content_dir, "data"))
        with open(os.path.join(seeds_dir, "000_test.txt"), "w", encoding="utf-8") as handle:
            handle.write(seed_text)
        with open(os.path.join(content_dir, "page.md"), "w", encoding="utf-8") as handle:
            handle.write(content_text)
        with open(os.path.join(content_dir, "data", "rows.yaml"), "w", encoding="utf-8") as handle:
            handle.write(data_text)
        hits = check(content_dir, Seeds(seeds_dir))
        found = {(os.path.basename(path), line) for path, line, _ in hits}
        expected = {("page.md", 3), ("page.md", 8), ("rows.yaml", 2)}
        for item in sorted(expected - found):
            failures.append("missed the planted sentence at %s:%d" % item)
        for item in sorted(found - expected):
            failures.append("flagged %s:%d, which is not a copy (a quoted title or our own words)" % item)
        if run([content_dir, os.path.join(root, "missing")], quiet=True) != 2:
            failures.append("a missing seeds folder does not exit 2")
        if run([content_dir, seeds_dir], quiet=True) != 1:
            failures.append("hits do not exit 1")
    if failures:
        for failure in failures:
            print("self-test: " + failure)
        return 1
    print("self-test: ok (a planted sentence is caught in a body, a summary and a data note; quoted titles are not)")
    return 0


# ---------------------------------------------------------------- main


def run(args, quiet=False):
    global MIN_LENGTH
    if "--min" in args:
        at = args.index("--min")
        MIN_LENGTH = int(args[at + 1])
        args = args[:at] + args[at + 2:]
    if len(args) != 2:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    content, seeds_dir = args
    if not os.path.isdir(seeds_dir) or not any(
        os.path.isfile(os.path.join(seeds_dir, name)) for name in os.listdir(seeds_dir)
    ):
        if not quiet:
            print("verbatim_check: no seeds folder at %s" % seeds_dir, file=sys.stderr)
        return 2
    if not os.path.isdir(content):
        if not quiet:
            print("verbatim_check: no content folder at %s" % content, file=sys.stderr)
        return 2
    hits = check(content, Seeds(seeds_dir))
    if not quiet:
        for path, line, sentence in hits:
            print("%s:%d: %s" % (path, line, sentence))
        if hits:
            print("verbatim_check: %d sentence(s) of %d+ characters copied from the seeds" % (len(hits), MIN_LENGTH))
    return 1 if hits else 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    return run(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
