#!/usr/bin/env python3
"""Deterministic benchmark corpus for Tianshan and Hugo.

Writes the same site twice:

    OUT/tianshan/Content/{site.yaml,index.md,cases/case-NNNNN.md,data/*.yaml}
    OUT/tianshan/Templates/            (copied from the repository's Templates/)
    OUT/hugo/{hugo.toml,content/,layouts/,data/,static/assets/}

Every page is a 2-6 KB Chinese case study with YAML front matter (title, date, summary, tags, organisation,
figures), ## headings, paragraphs (one line each, or wrapped at CJK punctuation), bullet and numbered lists,
links to other generated pages and, on about 10% of pages, a data table. Output depends only on --pages and
--seed (random.Random seeded with strings, which is stable across Python versions and PYTHONHASHSEED).

Standard library only. Usage:
    python3 Benchmarks/generate_corpus.py --pages 10000 --out Benchmarks/work/n10000 --seed 1
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# ---------------------------------------------------------------------------------------------------------------
# Vocabulary

DISTRICTS = ["高新区", "新市区", "头屯河区", "米东区", "沙依巴克区", "天山区", "水磨沟区", "经开区"]
CITY_PREFIX = ["新疆", "乌鲁木齐", "天山", "昆仑", "丝路", "博格达", "西域", "亚欧", "准噶尔", "雪莲", "金桥", "红山"]
NAME_CORE = ["云智", "华信", "天创", "聚能", "博远", "中科", "睿达", "启明", "泰和", "恒通", "新锐", "瀚海",
             "思源", "赛维", "海纳", "易联", "卓越", "合众", "致远", "安泰", "景行", "鼎新", "驰骋", "蓝图",
             "星河", "光合", "数联", "禾丰", "沃土", "润泽", "青禾", "金穗", "银朵", "格林", "凯德", "宏业"]
INDUSTRIES = ["软件信息", "人工智能", "大数据", "生物医药", "新材料", "新能源", "节能环保", "农业科技",
              "智能制造", "检验检测", "现代物流", "电子商务", "文化创意", "民族医药", "工业互联网", "数字孪生"]
ORG_KIND = ["科技有限公司", "信息技术有限公司", "生物科技有限公司", "农业科技有限公司", "新材料股份有限公司",
            "智能装备有限公司", "数据服务有限公司", "医药科技有限公司", "环保科技有限公司", "网络科技有限公司"]
CARRIERS = ["众创空间", "科技企业孵化器", "新疆软件园", "高新人才大厦", "大学科技园", "星创天地", "创业孵化基地",
            "留学人员创业园", "科技企业加速器", "离岸孵化器", "双创示范基地", "创新创业服务中心", "数字经济产业园",
            "检验检测认证产业园", "中亚商贸物流园"]
UNIVERSITIES = ["新疆大学", "新疆农业大学", "新疆医科大学", "新疆师范大学", "石河子大学", "中国科学院新疆分院",
                "新疆理化技术研究所", "新疆生态与地理研究所", "乌鲁木齐职业大学", "新疆工程学院"]
TAGS = ["孵化器", "众创空间", "科技企业", "高新技术企业", "专精特新", "人才引进", "股权融资", "创业投资",
        "知识产权", "技术转移", "产学研合作", "平台建设", "数字经济", "软件信息", "人工智能", "生物医药",
        "新材料", "新能源", "农业科技", "智能制造", "检验检测", "跨境电商", "中亚市场", "离岸孵化",
        "创业大赛", "大学生创业", "返乡创业", "政策支持", "营商环境", "科技金融"]
HEADINGS = ["企业概况", "从一间工位起步", "孵化器里的成长", "入驻众创空间之后", "技术路线的选择", "研发团队建设",
            "人才从哪里来", "融资历程", "第一笔天使投资", "政策红利如何落地", "产品打磨", "市场开拓",
            "走向中亚市场", "产学研合作", "知识产权布局", "平台赋能", "服务体系", "创业导师的作用",
            "数字化转型", "面临的困难", "经验与启示", "下一步计划", "主要成效", "背后的培育机制",
            "同路人", "园区配套", "资金链与服务链", "从小微企业到高新技术企业", "关键数字", "社会效益"]
TITLE_THEMES = ["从众创空间走出的{ind}企业", "用{ind}技术重塑传统产业链", "在孵化器里长成高新技术企业",
                "{carrier}里的{ind}新势力", "三年融资{n}万元的成长路径", "把实验室成果变成产品",
                "扎根{district}的{ind}创新者", "一支{n}人研发团队的突围", "“专精特新”之路",
                "借力{carrier}开拓中亚市场", "产学研合作的{ind}样本", "从创业大赛到规模化经营"]
OPENINGS = [
    "{org}成立于{year}年，是一家专注于{ind}领域的科技型中小企业，注册地位于{district}。",
    "走进{carrier}，{short}的展示区里陈列着公司近年来研发的多款{ind}产品。",
    "{year}年，几位从{univ}毕业的年轻人带着一项{ind}技术，在{carrier}租下了第一间办公室，这就是后来的{org}。",
    "在{district}的双创版图上，{org}是一个颇具代表性的案例：起步于{carrier}，成长于政策与服务的持续支持。",
]
SENTENCES = [
    "公司入驻{carrier}后，享受了场地租金减免和一站式工商注册服务，起步阶段的成本大幅降低。",
    "{year}年，企业获得天使轮融资{n}万元，资金主要用于核心算法研发和生产线改造。",
    "目前公司研发团队共有{small}人，其中硕士及以上学历{tiny}人，研发投入占营业收入的比重超过百分之{pct}。",
    "围绕{ind}方向，公司累计申请发明专利{tiny}项，获得软件著作权{small}项。",
    "企业与{univ}共建联合实验室，双方在关键技术攻关、人才培养和成果转化方面开展了长期合作。",
    "在孵化器的指导下，公司完成了国家级高新技术企业的申报，并于次年通过认定。",
    "基地围绕政策链、服务链、资金链和人才链持续发力，为像{short}这样的初创企业提供全周期服务。",
    "创业导师每月走访一次企业，帮助团队梳理商业模式、对接上下游客户。",
    "{year}年公司营业收入突破{n}万元，带动就业{small}人，其中高校毕业生占比超过一半。",
    "公司产品已进入哈萨克斯坦、乌兹别克斯坦等中亚市场，海外订单占比逐年提高。",
    "借助{carrier}搭建的投融资对接平台，企业先后与{tiny}家创业投资机构开展洽谈。",
    "高新区出台的科技型企业培育政策，对首次认定的高新技术企业给予一次性奖励，企业因此获得补助{small}万元。",
    "在人才引进方面，公司通过“天池英才”等计划引进了{tiny}名高层次人才，并为骨干员工解决了住房问题。",
    "众创空间提供的共享实验设备，使公司无需自建实验室即可完成产品中试。",
    "企业负责人表示，最大的收获不是资金，而是孵化器带来的圈子和资源。",
    "{year}年，公司在自治区创新创业大赛中获得{prize}，项目随后被推荐参加全国总决赛。",
    "面对疫情带来的冲击，基地为在孵企业延期收取租金，并协调银行发放信用贷款{n}万元。",
    "公司建立了从需求调研、原型设计到测试上线的完整研发流程，产品迭代周期缩短至{tiny}周。",
    "通过数字化改造，企业生产效率提高了百分之{pct}，单位产品能耗下降了百分之{tiny}。",
    "与传统模式相比，这套方案把农产品从田间到餐桌的流通环节减少了{tiny}个。",
    "公司积极参与行业标准的起草工作，已有{tiny}项团体标准正式发布实施。",
    "在{district}的支持下，企业获得了{n}平方米的标准化厂房，生产能力显著提升。",
    "平台累计服务企业{n}家，组织技术对接活动{small}场，促成合作项目{tiny}项。",
    "基地把众创空间定位为培育高新技术企业和“专精特新”企业的主阵地，推行“一企一策”的定向培育。",
    "如今，{short}已从一家小微企业成长为细分领域的骨干企业，年纳税额超过{small}万元。",
]
LIST_ITEMS = [
    "提供办公场地和产品展示区域，降低起步阶段的场地成本",
    "协助办理工商注册、税务登记和知识产权申请",
    "对接天使投资和创业投资机构，组织路演{tiny}场",
    "安排创业导师一对一辅导，每月至少走访一次",
    "开放共享实验室和检验检测设备",
    "协调高校毕业生见习岗位{small}个",
    "申报高新技术企业和科技型中小企业评价",
    "组织参加中国—亚欧博览会等展会",
    "提供信用贷款贴息和担保费补助",
    "举办技术沙龙和行业交流活动",
    "引进{tiny}名具有博士学位的研发人员",
    "建设面向中亚市场的海外仓和离岸孵化器",
    "完成产品中试和小批量生产",
    "与{univ}联合培养研究生",
    "制定企业知识产权管理规范",
]
LINK_LEADS = ["与{link}的做法相似", "这一点可以参照{link}的经验", "同在基地的{link}也走过类似的道路",
              "{link}是另一个值得关注的例子", "关于平台服务，{link}有更详细的介绍"]
PRIZES = ["一等奖", "二等奖", "三等奖", "优秀奖", "最佳创意奖"]
FIGURES = [("营业收入", "万元"), ("研发投入", "万元"), ("融资金额", "万元"), ("发明专利", "项"),
           ("软件著作权", "项"), ("带动就业", "人"), ("研发人员", "人"), ("纳税额", "万元"), ("厂房面积", "平方米")]
FIGURE_TEXT = [("企业资质", "国家级高新技术企业"), ("企业资质", "自治区“专精特新”中小企业"), ("所在载体", None)]

# Data files: (name, title, fields [(name, label, type, unit)], sortable number field, filterable column)
DATA_SETS = {
    "enterprises": ("在孵企业名录", [("name", "企业名称", "string", None), ("district", "所在区域", "string", None),
                                     ("industry", "所属行业", "string", None), ("founded", "成立年份", "integer", None),
                                     ("revenue", "营业收入", "number", "万元"), ("employees", "从业人数", "integer", "人")],
                    "revenue", 240),
    "platforms": ("创新平台", [("name", "平台名称", "string", None), ("district", "所在区域", "string", None),
                               ("level", "级别", "string", None), ("kind", "类型", "string", None),
                               ("year", "认定年份", "integer", None), ("investment", "累计投入", "number", "万元")],
                  "investment", 160),
    "financing": ("融资事件", [("company", "企业名称", "string", None), ("district", "所在区域", "string", None),
                               ("round", "轮次", "string", None), ("year", "年份", "integer", None),
                               ("amount", "融资金额", "number", "万元")],
                  "amount", 200),
    "talents": ("人才项目", [("program", "项目名称", "string", None), ("district", "所在区域", "string", None),
                             ("year", "年份", "integer", None), ("people", "引进人数", "integer", "人"),
                             ("funding", "资助金额", "number", "万元")],
                "funding", 120),
}
TABLE_COLUMNS = {
    "enterprises": ["name", "industry", "founded", "revenue", "employees"],
    "platforms": ["name", "level", "kind", "year", "investment"],
    "financing": ["company", "round", "year", "amount"],
    "talents": ["program", "year", "people", "funding"],
}

SITE_TITLE = "双创案例库（基准测试语料）"
SITE_DESCRIPTION = "自动生成的孵化器、众创空间与科技企业案例，用于比较静态站点生成器的构建性能。"
FOOTER = "本站内容由基准测试脚本随机生成，仅用于性能测试。"


# ---------------------------------------------------------------------------------------------------------------
# Names and pages

def page_name(i: int, width: int) -> str:
    return f"case-{i:0{width}d}"


def org_of(seed: int, i: int) -> tuple[str, str, str]:
    """(full organisation name, short name, industry) of page i; also used for link texts to page i."""
    r = random.Random(f"{seed}:{i}:org")
    short = r.choice(CITY_PREFIX) + r.choice(NAME_CORE)
    return short + r.choice(ORG_KIND), short, r.choice(INDUSTRIES)


def fill(r: random.Random, text: str, ctx: dict) -> str:
    if "{" not in text:
        return text
    return text.format(
        year=r.randint(2012, 2022), n=r.randint(50, 9000), small=r.randint(8, 120), tiny=r.randint(2, 12),
        pct=r.randint(5, 40), univ=r.choice(UNIVERSITIES), carrier=ctx["carrier"], district=ctx["district"],
        ind=ctx["ind"], org=ctx["org"], short=ctx["short"], prize=r.choice(PRIZES), link=ctx.get("link", ""))


def wrap_cjk(text: str, r: random.Random) -> str:
    """Break a paragraph into lines after full-width commas (a soft break between CJK characters)."""
    parts = text.split("，")
    lines, cur = [], ""
    for k, part in enumerate(parts):
        cur += part + ("，" if k < len(parts) - 1 else "")
        if len(cur) >= r.randint(18, 40) and k < len(parts) - 1:
            lines.append(cur)
            cur = ""
    if cur:
        lines.append(cur)
    return "\n".join(lines)


def q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def make_page(seed: int, i: int, n: int, width: int):
    """Returns (tianshan_text, hugo_text) for page i of n."""
    r = random.Random(f"{seed}:{i}:page")
    org, short, ind = org_of(seed, i)
    ctx = {"org": org, "short": short, "ind": ind, "carrier": r.choice(CARRIERS), "district": r.choice(DISTRICTS)}
    target = r.randint(1900, 5600)  # bytes of the whole file (the last block overshoots by a few hundred)
    wrapped = r.random() < 0.35
    year, month, day = r.randint(2015, 2023), r.randint(1, 12), r.randint(1, 28)

    title = short + "：" + fill(r, r.choice(TITLE_THEMES), ctx)
    summary = fill(r, r.choice(OPENINGS), ctx) + fill(r, r.choice(SENTENCES), ctx)
    tags = r.sample(TAGS, r.randint(2, 4))
    figures = []
    for label, unit in r.sample(FIGURES, r.randint(2, 4)):
        value = r.randint(3, 9000) if unit != "万元" else round(r.uniform(50, 20000), 1)
        figures.append("  - {label: %s, value: %s, unit: %s}" % (q(label), value, q(unit)))
    if r.random() < 0.5:
        label, text = r.choice(FIGURE_TEXT)
        figures.append("  - {label: %s, value: %s}" % (q(label), q(text or ctx["carrier"])))
    front = ("---\n"
             f"title: {q(title)}\n"
             f"date: {year:04d}-{month:02d}-{day:02d}\n"
             f"summary: {q(summary)}\n"
             f"tags: [{', '.join(q(t) for t in tags)}]\n"
             f"organisation: {q(org)}\n"
             "figures:\n" + "\n".join(figures) + "\n---\n\n")

    # Body: a list of blocks; a block is either a string (same for both sites) or a tuple (tianshan, hugo).
    blocks: list = [fill(r, r.choice(OPENINGS), ctx) + fill(r, r.choice(SENTENCES), ctx)]
    size = len(front.encode()) + len(blocks[0].encode())
    headings = r.sample(HEADINGS, len(HEADINGS))
    links_left = r.randint(1, 3) if n > 1 else 0
    table_at = r.randint(1, 3) if r.random() < 0.10 else -1
    section = 0
    table_done = False
    while (size < target or section < 3) and section < len(headings):
        heading = "## " + headings[section]
        section_blocks: list = [heading]
        size += len(heading.encode()) + 2
        for _ in range(r.randint(1, 3)):
            if size >= target and section >= 3:
                break
            para = "".join(fill(r, t, ctx) for t in r.sample(SENTENCES, r.randint(2, 4)))
            if links_left and r.random() < 0.4:
                j = r.randrange(n - 1)
                j = j + 1 if j >= i else j
                _, jshort, _ = org_of(seed, j)
                name = page_name(j, width)
                lead = r.choice(LINK_LEADS)
                ts = lead.format(link=f"[{jshort}]({name}.md)") + "。"
                hu = lead.format(link=f'[{jshort}]({{{{< relref "/cases/{name}.md" >}}}})') + "。"
                section_blocks.append((para + ts, para + hu))
                links_left -= 1
            else:
                section_blocks.append(wrap_cjk(para, r) if wrapped else para)
            size += len(para.encode()) + 2
        kind = r.random()
        if kind < 0.45 and (size < target or section < 3):
            items = [fill(r, it, ctx) for it in r.sample(LIST_ITEMS, r.randint(3, 6))]
            if kind < 0.3:
                section_blocks.append("\n".join("- " + it + "；" for it in items))
            else:
                section_blocks.append("\n".join(f"{k + 1}. " + it + "。" for k, it in enumerate(items)))
            size += len(section_blocks[-1].encode()) + 2
        if table_at >= 0 and not table_done and (section == table_at or size >= target):
            section_blocks.append(table_block(r, ctx))
            table_done = True
        section += 1
        blocks += section_blocks

    ts_body = "\n\n".join(b if isinstance(b, str) else b[0] for b in blocks) + "\n"
    hu_body = "\n\n".join(b if isinstance(b, str) else b[1] for b in blocks) + "\n"
    return front + ts_body, front + hu_body


def table_block(r: random.Random, ctx: dict):
    name = r.choice(sorted(DATA_SETS))
    title, _, sort_field, _ = DATA_SETS[name]
    district = ctx["district"]
    columns = TABLE_COLUMNS[name]
    limit = r.choice([5, 8, 10])
    caption = f"{district}{title}（按{dict((f[0], f[1]) for f in DATA_SETS[name][1])[sort_field]}排序，前{limit}位）"
    lead = f"下表列出{district}的{title}，数据来自基地统计。"
    tianshan = (f"{lead}\n\n```table\nid: {name}-{district_slug(district)}\ndata: {name}\n"
                f"filter: {{district: {district}}}\ncolumns: [{', '.join(columns)}]\n"
                f"sort: -{sort_field}\nlimit: {limit}\ncaption: {caption}\n```")
    hugo = (f'{lead}\n\n{{{{< datatable data="{name}" field="district" value="{district}" sort="{sort_field}" '
            f'limit="{limit}" columns="{",".join(columns)}" caption="{caption}" >}}}}')
    return tianshan, hugo


def district_slug(d: str) -> str:
    return "d" + str(DISTRICTS.index(d))


# ---------------------------------------------------------------------------------------------------------------
# Data files

def data_yaml(seed: int, name: str) -> str:
    title, fields, _, count = DATA_SETS[name]
    r = random.Random(f"{seed}:data:{name}")
    out = [f"title: {title}", "source: 基准测试脚本生成", f"description: 随机生成的{title}，用于表格渲染测试。", "fields:"]
    for fname, label, ftype, unit in fields:
        out.append("  - {name: %s, label: %s, type: %s%s}" % (fname, label, ftype, f", unit: {unit}" if unit else ""))
    out.append("rows:")
    rounds = ["天使轮", "Pre-A轮", "A轮", "B轮", "C轮", "战略投资"]
    levels = ["国家级", "自治区级", "市级"]
    kinds = ["重点实验室", "工程技术研究中心", "企业技术中心", "众创空间", "科技企业孵化器", "新型研发机构"]
    for k in range(count):
        district = DISTRICTS[k % len(DISTRICTS)]
        company = r.choice(CITY_PREFIX) + r.choice(NAME_CORE) + r.choice(ORG_KIND)
        if name == "enterprises":
            row = {"name": company, "district": district, "industry": r.choice(INDUSTRIES),
                   "founded": r.randint(2005, 2022), "revenue": round(r.uniform(20, 50000), 1),
                   "employees": r.randint(3, 800)}
        elif name == "platforms":
            row = {"name": r.choice(CITY_PREFIX) + r.choice(INDUSTRIES) + r.choice(kinds), "district": district,
                   "level": r.choice(levels), "kind": r.choice(kinds), "year": r.randint(2008, 2022),
                   "investment": round(r.uniform(100, 30000), 1)}
        elif name == "financing":
            row = {"company": company, "district": district, "round": r.choice(rounds),
                   "year": r.randint(2015, 2022), "amount": round(r.uniform(50, 80000), 1)}
        else:
            row = {"program": f"{r.choice(['天池英才', '天山英才', '高层次人才', '青年拔尖人才', '技能大师'])}"
                              f"{r.choice(['引进', '培育', '支持', '资助'])}项目（第{k + 1}批）",
                   "district": district, "year": r.randint(2015, 2022), "people": r.randint(1, 60),
                   "funding": round(r.uniform(10, 3000), 1)}
        out.append("  - {" + ", ".join(f"{key}: {q(v) if isinstance(v, str) else v}" for key, v in row.items()) + "}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------------------------
# Site scaffolding

TIANSHAN_SITE = f"""title: {SITE_TITLE}
language: zh-CN
base_url: /
description: {SITE_DESCRIPTION}
navigation:
  - {{title: 首页, url: /}}
  - {{title: 典型案例, url: /cases/}}
  - {{title: 标签, url: /tags/}}
footer: {FOOTER}
markdown:
  unsafe: false
params:
  sources:
    - 基准测试语料生成器 Benchmarks/generate_corpus.py
"""

HOME_BODY = ("本站收录自动生成的双创案例，内容涉及孵化器、众创空间、科技企业、人才与融资，\n"
             "用于比较静态站点生成器在大量中文页面上的构建速度与内存占用。\n")

HUGO_CONFIG = f"""baseURL = "/"
languageCode = "zh-CN"
defaultContentLanguage = "zh"
title = "{SITE_TITLE}"
hasCJKLanguage = true
disableKinds = ["RSS", "sitemap", "robotsTXT"]
enableRobotsTXT = false

[taxonomies]
  tag = "tags"

[params]
  description = "{SITE_DESCRIPTION}"
  footer = "{FOOTER}"
  sources = ["基准测试语料生成器 Benchmarks/generate_corpus.py"]

[markup]
  [markup.goldmark.renderer]
    unsafe = false
  [markup.tableOfContents]
    startLevel = 2
    endLevel = 3
    ordered = true

[[menu.main]]
  name = "首页"
  url = "/"
  weight = 1
[[menu.main]]
  name = "典型案例"
  url = "/cases/"
  weight = 2
[[menu.main]]
  name = "标签"
  url = "/tags/"
  weight = 3
"""

# Hugo layouts that mirror Templates/ (base, cases, list, home, partials) as closely as Go templates allow.
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Title }} · {{ site.Title }}{{ end }}</title>
{{ with .Params.summary }}<meta name="description" content="{{ . }}">{{ else }}<meta name="description" content="{{ site.Params.description }}">{{ end }}
<meta name="generator" content="Hugo {{ hugo.Version }}">
<link rel="stylesheet" href="/assets/site.css">
<link rel="stylesheet" href="/assets/print.css" media="print">
</head>
<body>
<a class="skip-link" href="#main">跳到正文</a>
{{ partial "header.html" . }}
<main id="main" class="main">
{{ if not .IsHome }}{{ partial "breadcrumbs.html" . }}{{ end }}
{{ block "main" . }}{{ end }}
</main>
{{ partial "footer.html" . }}
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}
<article class="wrap article">
  <header class="article-header">
    <h1>{{ .Title }}</h1>
    <p class="article-meta">
      {{ if not .Date.IsZero }}<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006年1月2日" }}</time>{{ end }}
      {{ with .Params.organisation }}<span class="org">{{ . }}</span>{{ end }}
      <span class="reading">约 {{ countrunes .Plain }} 字 · 阅读约 {{ .ReadingTime }} 分钟</span>
    </p>
    {{ with .Params.summary }}<p class="lede">{{ . }}</p>{{ end }}
    {{ with .GetTerms "tags" }}<ul class="tags" aria-label="标签">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
  </header>
  {{ with .Params.figures }}
  <section class="figures" aria-label="关键数字">
    <dl class="figure-grid">
      {{ range . }}<div class="figure"><dt>{{ .label }}</dt><dd><span class="figure-value">{{ .value }}</span>{{ with .unit }}<span class="figure-unit">{{ . }}</span>{{ end }}</dd></div>
      {{ end }}
    </dl>
  </section>
  {{ end }}
  <nav class="toc" aria-labelledby="toc-title"><h2 id="toc-title" class="toc-title">目录</h2>{{ .TableOfContents }}</nav>
  <div class="prose">
{{ .Content }}
  </div>
</article>
{{ end }}
""",
    "_default/list.html": """{{ define "main" }}
<div class="wrap">
  <header class="article-header"><h1>{{ .Title }}</h1></header>
  {{ with .Content }}<div class="prose">{{ . }}</div>{{ end }}
  {{ if eq .Kind "taxonomy" }}
  <ul class="tag-cloud">
    {{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }} <span class="count">{{ .Count }}</span></a></li>{{ end }}
  </ul>
  {{ else }}
  {{ with .Pages }}<div class="card-list">
{{ range . }}{{ partial "card.html" . }}{{ end }}
</div>{{ else }}<p class="empty">暂无内容。</p>{{ end }}
  {{ end }}
</div>
{{ end }}
""",
    "index.html": """{{ define "title" }}{{ site.Title }}{{ end }}
{{ define "main" }}
<section class="hero">
  <div class="wrap">
    <h1>{{ .Title }}</h1>
    <p class="hero-lede">{{ site.Params.description }}</p>
  </div>
</section>
<div class="wrap">
  {{ with .Content }}<div class="prose home-intro">{{ . }}</div>{{ end }}
  <h2 class="section-title">最新案例与动态</h2>
  <div class="card-list">
  {{ range first 6 site.RegularPages }}{{ partial "card.html" . }}{{ end }}
  </div>
</div>
{{ end }}
""",
    "partials/card.html": """<article class="card">
  <h2 class="card-title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
  <p class="card-meta">{{ if not .Date.IsZero }}<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006年1月2日" }}</time>{{ end }}{{ with .Params.organisation }}<span class="org">{{ . }}</span>{{ end }}</p>
  {{ with .Params.summary }}<p class="card-summary">{{ . }}</p>{{ end }}
  {{ with .GetTerms "tags" }}<ul class="tags" aria-label="标签">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
</article>
""",
    "partials/header.html": """<header class="site-header">
  <div class="wrap header-inner">
    <a class="site-title" href="/">{{ site.Title }}</a>
    <nav class="site-nav" aria-label="主导航">
      <ul>
        {{ $page := . }}{{ range site.Menus.main }}<li><a href="{{ .URL }}"{{ if or ($page.IsMenuCurrent "main" .) ($page.HasMenuCurrent "main" .) }} aria-current="page"{{ end }}>{{ .Name }}</a></li>
        {{ end }}
      </ul>
    </nav>
  </div>
</header>
""",
    "partials/breadcrumbs.html": """<nav class="breadcrumbs wrap" aria-label="当前位置">
  <ol>
    {{ range .Ancestors.Reverse }}<li><a href="{{ .RelPermalink }}">{{ if .IsHome }}首页{{ else }}{{ .Title }}{{ end }}</a></li>
    {{ end }}<li><span aria-current="page">{{ .Title }}</span></li>
  </ol>
</nav>
""",
    "partials/footer.html": """<footer class="site-footer">
  <div class="wrap">
    <p>{{ site.Params.footer }}</p>
    <p class="sources-title">资料来源</p>
    <ul class="sources">
      {{ range site.Params.sources }}<li>{{ . }}</li>{{ end }}
    </ul>
    <p class="generator">由 Hugo {{ hugo.Version }} 生成</p>
  </div>
</footer>
""",
    # The counterpart of a ```table block: filter one column, sort descending, keep the first rows.
    "shortcodes/datatable.html": """{{ $d := index site.Data (.Get "data") }}{{ $rows := where $d.rows (.Get "field") (.Get "value") }}{{ $rows = first (int (.Get "limit")) (sort $rows (.Get "sort") "desc") }}{{ $cols := split (.Get "columns") "," }}
<figure class="data-table">
<table>
<caption>{{ .Get "caption" }}</caption>
<thead><tr>{{ range $cols }}{{ $c := . }}{{ range $d.fields }}{{ if eq .name $c }}<th scope="col">{{ .label }}{{ with .unit }}（{{ . }}）{{ end }}</th>{{ end }}{{ end }}{{ end }}</tr></thead>
<tbody>
{{ range $rows }}{{ $r := . }}<tr>{{ range $i, $c := $cols }}{{ $v := index $r $c }}{{ if eq $i 0 }}<th scope="row">{{ $v }}</th>{{ else }}<td>{{ $v }}</td>{{ end }}{{ end }}</tr>
{{ end }}</tbody>
</table>
<figcaption>资料来源：{{ $d.source }}</figcaption>
</figure>
""",
}


# ---------------------------------------------------------------------------------------------------------------
# Writing

def write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def write_chunk(args) -> tuple[int, int]:
    seed, start, stop, n, width, ts_dir, hu_dir = args
    ts_bytes = hu_bytes = 0
    for i in range(start, stop):
        ts, hu = make_page(seed, i, n, width)
        name = page_name(i, width) + ".md"
        write(os.path.join(ts_dir, name), ts)
        ts_bytes += len(ts.encode())
        if hu_dir:
            write(os.path.join(hu_dir, name), hu)
            hu_bytes += len(hu.encode())
    return ts_bytes, hu_bytes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, required=True, help="number of case studies")
    ap.add_argument("--out", required=True, help="output folder (replaced)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", choices=["both", "tianshan", "hugo"], default="both", help="which site(s) to write")
    ap.add_argument("--templates", default=os.path.join(REPO, "Templates"),
                    help="Tianshan Templates/ folder to copy (default: the repository's)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    if args.pages < 1:
        ap.error("--pages must be at least 1")
    if not os.path.isdir(args.templates) and args.only != "hugo":
        ap.error(f"templates folder not found: {args.templates}")

    started = time.monotonic()
    out = os.path.abspath(args.out)
    if os.path.exists(out):
        shutil.rmtree(out)
    n, seed = args.pages, args.seed
    width = max(5, len(str(n - 1)))
    want_ts, want_hu = args.only in ("both", "tianshan"), args.only in ("both", "hugo")

    ts_root, hu_root = os.path.join(out, "tianshan"), os.path.join(out, "hugo")
    ts_cases = os.path.join(ts_root, "Content", "cases")
    hu_cases = os.path.join(hu_root, "content", "cases")
    for d in ([ts_cases, os.path.join(ts_root, "Content", "data")] if want_ts else []) + \
             ([hu_cases, os.path.join(hu_root, "data"), os.path.join(hu_root, "static")] if want_hu else []):
        os.makedirs(d, exist_ok=True)

    if want_ts:
        write(os.path.join(ts_root, "Content", "site.yaml"), TIANSHAN_SITE)
        write(os.path.join(ts_root, "Content", "index.md"), f"---\ntitle: {SITE_TITLE}\n---\n\n{HOME_BODY}")
        shutil.copytree(args.templates, os.path.join(ts_root, "Templates"))
    if want_hu:
        write(os.path.join(hu_root, "hugo.toml"), HUGO_CONFIG)
        write(os.path.join(hu_root, "content", "_index.md"), f"---\ntitle: {SITE_TITLE}\n---\n\n{HOME_BODY}")
        write(os.path.join(hu_cases, "_index.md"), "---\ntitle: 典型案例\n---\n")
        os.makedirs(os.path.join(hu_root, "content", "tags"), exist_ok=True)
        write(os.path.join(hu_root, "content", "tags", "_index.md"), "---\ntitle: 标签\n---\n")
        for rel, text in HUGO_LAYOUTS.items():
            path = os.path.join(hu_root, "layouts", rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            write(path, text)
        assets = os.path.join(args.templates, "assets")
        if os.path.isdir(assets):
            shutil.copytree(assets, os.path.join(hu_root, "static", "assets"))
    for name in DATA_SETS:
        text = data_yaml(seed, name)
        if want_ts:
            write(os.path.join(ts_root, "Content", "data", name + ".yaml"), text)
        if want_hu:
            write(os.path.join(hu_root, "data", name + ".yaml"), text)

    chunk = max(200, n // (args.jobs * 8) + 1)
    tasks = [(seed, s, min(n, s + chunk), n, width, ts_cases if want_ts else None, hu_cases if want_hu else None)
             for s in range(0, n, chunk)]
    if not want_ts:  # write_chunk writes the Tianshan file first; point it at a scratch folder and drop it after
        scratch = os.path.join(out, ".scratch")
        os.makedirs(scratch)
        tasks = [t[:5] + (scratch, t[6]) for t in tasks]
    if args.jobs > 1 and len(tasks) > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(write_chunk, tasks))
    else:
        results = [write_chunk(t) for t in tasks]
    if not want_ts:
        shutil.rmtree(os.path.join(out, ".scratch"))
    ts_total = sum(a for a, _ in results)
    hu_total = sum(b for _, b in results)
    print(f"generate_corpus: {n} pages, seed {seed}, {ts_total / 1e6:.1f} MB Markdown"
          + (f" (Hugo copy {hu_total / 1e6:.1f} MB)" if want_hu else "")
          + f", {time.monotonic() - started:.1f} s → {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
