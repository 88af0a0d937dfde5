#!/usr/bin/env python3
"""Helper for preview-latency.sh: generate a large Chinese case-study site, measure save→reload latency."""
import argparse
import os
import re
import select
import socket
import statistics
import sys
import time
import urllib.parse
import urllib.request

ORGS = ["新疆高新人才大厦", "天山众创空间", "丝路软件园", "乌鲁木齐创新工场", "西域科技孵化器", "博格达创业学院",
        "准噶尔数据中心", "亚欧物流港", "红山智造基地", "雪莲生物科技园"]
INDUSTRIES = ["农业科技", "软件服务", "新能源", "生物医药", "先进制造", "现代物流", "文化创意", "数字经济", "新材料", "节能环保"]
TAGS = ["孵化器", "高新技术企业", "人才", "融资", "专精特新", "科技成果转化", "创新平台", "双创示范", "众创空间", "产学研",
        "知识产权", "数字化", "绿色低碳", "对外开放", "乡村振兴", "青年创业", "政策支持", "园区建设", "技术服务", "品牌建设"]
ACTIONS = ["搭建公共服务平台", "引进高层次人才", "设立专项扶持资金", "开展技术攻关", "对接天使投资", "建设中试基地",
           "举办创新创业大赛", "推动成果转化", "完善知识产权服务", "拓展中亚市场"]


def generate(out, pages):
    """Deterministic: the same N always gives byte-identical files."""
    cases = os.path.join(out, "cases")
    os.makedirs(cases, exist_ok=True)
    for i in range(pages):
        org = ORGS[i % len(ORGS)]
        industry = INDUSTRIES[(i // 10) % len(INDUSTRIES)]
        tags = [TAGS[i % len(TAGS)], TAGS[(i * 7 + 3) % len(TAGS)], industry]
        tags = list(dict.fromkeys(tags))
        year = 2015 + i % 9
        month = 1 + (i // 9) % 12
        day = 1 + (i // 108) % 28
        actions = [ACTIONS[(i + k) % len(ACTIONS)] for k in range(4)]
        body = f"""---
title: 案例{i + 1:05d}：{org}助力{industry}企业成长
date: {year:04d}-{month:02d}-{day:02d}
tags: [{", ".join(tags)}]
summary: {org}围绕{industry}领域，通过{actions[0]}和{actions[1]}，帮助第{i + 1}家入驻企业实现快速发展。
organisation: {org}
figures:
  - {{label: 入驻企业, value: {10 + i % 90}, unit: 家}}
  - {{label: 带动就业, value: {100 + (i * 13) % 900}, unit: 人}}
---

## 背景

{org}是乌鲁木齐高新区（新市区）双创示范基地的重要载体之一。近年来，基地聚焦{industry}产业，
持续优化营商环境，吸引了一批创新型中小企业入驻。本案例记录的是第{i + 1}号样本企业的成长经历。

## 主要做法

围绕企业在不同阶段的需要，{org}采取了以下措施：

- {actions[0]}，降低企业起步阶段的成本；
- {actions[1]}，帮助企业补齐短板；
- {actions[2]}，提升企业的核心竞争力；
- {actions[3]}，为企业打开更大的市场空间。

### 服务细节

孵化团队为企业配备了专门的联络员，定期走访了解经营情况，协调解决用地、融资和人才引进等问题。
企业负责人表示，这些服务让团队能够把更多精力投入到产品研发上。

## 成效

经过{1 + i % 5}年的培育，企业累计取得{2 + i % 20}项知识产权，年营业收入增长{5 + i % 60}%，
并带动上下游{3 + i % 15}家企业协同发展。

1. 研发投入占营业收入的比例持续提高；
2. 产品进入{1 + i % 8}个中亚国家市场；
3. 获评自治区级{industry}示范企业。
"""
        with open(os.path.join(cases, f"gen-{i + 1:05d}.md"), "w", encoding="utf-8") as f:
            f.write(body)


class EventStream:
    """A raw-socket EventSource: looks for `event:`/`data:` pairs in the (chunked) stream."""
    PATTERN = re.compile(rb"event: (\w+)\ndata: \{\"build\":(\d+),\"ok\":(true|false)\}\n\n")

    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port))
        self.sock.sendall(b"GET /__tianshan/events HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n\r\n" % host.encode())
        self.buffer = b""

    def drain(self):
        """Events that arrived while nobody was waiting; returns the newest build number among them."""
        newest = None
        while select.select([self.sock], [], [], 0)[0]:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("event stream closed")
            self.buffer += data
        for match in self.PATTERN.finditer(self.buffer):
            newest = int(match.group(2))
        self.buffer = b""
        return newest

    def next_event(self, timeout):
        deadline = time.perf_counter() + timeout
        while True:
            match = self.PATTERN.search(self.buffer)
            if match:
                self.buffer = self.buffer[match.end():]
                return match.group(1).decode(), int(match.group(2)), match.group(3) == b"true", time.perf_counter()
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError("no event within %.0f s" % timeout)
            ready, _, _ = select.select([self.sock], [], [], left)
            if ready:
                data = self.sock.recv(65536)
                if not data:
                    raise ConnectionError("event stream closed")
                self.buffer += data


def measure(url, path, page, edits, pause, timeout):
    parsed = urllib.parse.urlparse(url)
    stream = EventStream(parsed.hostname, parsed.port)
    kind, build, ok, _ = stream.next_event(timeout)
    assert kind == "hello", kind
    original = open(path, encoding="utf-8").read()
    samples = []
    try:
        for n in range(1, edits + 1):
            marker = f"预览延迟测量第{n}次修改"
            time.sleep(pause)  # keep edits apart so each one is its own rebuild
            # A late event from the previous edit must not be taken for the answer to this one.
            build = max(build, stream.drain() or 0)
            with open(path, "w", encoding="utf-8") as f:
                f.write(original + f"\n{marker}。\n")
            saved = time.perf_counter()
            while True:
                kind, seen, ok, received = stream.next_event(timeout)
                if kind == "reload" and seen > build:
                    break
            build = seen
            if not ok:
                sys.exit(f"build {seen} failed during measurement")
            samples.append((received - saved) * 1000)
            if page:
                html = urllib.request.urlopen(urllib.parse.urljoin(url, page)).read().decode("utf-8")
                if marker not in html:
                    sys.exit(f"edit {n}: {page} does not show the new text after the reload event")
            print(f"  edit {n:2d}: {samples[-1]:8.1f} ms (build {build})", flush=True)
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
    # Wait for the rebuild the restore causes, so a load run that follows does not compete with a build.
    while True:
        kind, seen, ok, _ = stream.next_event(timeout)
        if kind == "reload" and seen > build:
            break
    print(f"save→reload over {len(samples)} edits: median {statistics.median(samples):.1f} ms, "
          f"min {min(samples):.1f} ms, max {max(samples):.1f} ms")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--out", required=True)
    g.add_argument("--pages", type=int, required=True)
    m = sub.add_parser("measure")
    m.add_argument("--url", required=True)
    m.add_argument("--file", required=True)
    m.add_argument("--page", default="")
    m.add_argument("--edits", type=int, default=10)
    m.add_argument("--pause", type=float, default=0.5)
    m.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    if args.command == "generate":
        generate(args.out, args.pages)
    else:
        measure(args.url, args.file, args.page, args.edits, args.pause, args.timeout)


if __name__ == "__main__":
    main()
