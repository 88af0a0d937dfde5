/// Other valid versions of the differential site's templates, for template edits. Each reads site-wide values in
/// a different way (tag cloud, data rows, sections, recent pages, navigation, tag counts), so an edit moves a
/// page's dependencies around and the build keys must follow. Every layout keeps `{{{page.content}}}` and the
/// base keeps `id="main"`, because links in the content name headings and `#main`; only partials that always
/// exist are included.
enum TemplateVariants {
    static let alternatives: [String: [String]] = [
        "layouts/base.mustache": [
            """
            <!DOCTYPE html>
            <html lang="{{site.language}}"><head><meta charset="utf-8"><title>{{page.title}} · {{site.title}}</title>
            <meta name="description" content="{{site.description}}"><link rel="stylesheet" href="{{root}}assets/site.css"></head>
            <body>{{> partials.nav}}{{#showBreadcrumbs}}<nav class="crumbs">{{#breadcrumbs}}<a href="{{url}}">{{title}}</a> {{/breadcrumbs}}</nav>{{/showBreadcrumbs}}
            <main id="main">{{$main}}{{/main}}</main>
            <footer>{{site.footer}} · {{site.params.org}} {{site.params.motto}}</footer></body></html>

            """,
            """
            <!DOCTYPE html>
            <html lang="{{site.language}}"><head><meta charset="utf-8"><title>{{page.title}} · {{site.title}}</title>
            <link rel="stylesheet" href="{{root}}assets/site.css"><link rel="icon" href="{{root}}assets/logo.svg"></head>
            <body>{{> partials.nav}}<main id="main">{{$main}}{{/main}}</main>
            <footer>{{site.footer}} · 共 {{site.tags.count}} 个标签 · {{site.params.year}}</footer></body></html>

            """,
        ],
        "layouts/home.mustache": [
            """
            {{<layouts.base}}{{$main}}{{{page.content}}}{{> partials.items}}{{> partials.latest}}{{/main}}{{/layouts.base}}

            """,
            """
            {{<layouts.base}}{{$main}}{{{page.content}}}<h2>最新</h2><ul>{{#recent}}<li><a href="{{url}}">{{title}}</a> {{summary}}</li>{{/recent}}</ul>
            <table>{{#data.projects.rows}}<tr><td>{{name}}</td><td>{{investment}}</td></tr>{{/data.projects.rows}}</table>{{/main}}{{/layouts.base}}

            """,
            """
            {{<layouts.base}}{{$main}}{{{page.content}}}<ol>{{#pages}}<li><a href="{{url}}">{{title}}</a> {{section}} {{#tags}}{{name}} {{/tags}}</li>{{/pages}}</ol>
            <p>{{data.indicators.count}} 项指标，{{data.projects.count}} 个项目</p>{{> partials.tagcloud}}{{/main}}{{/layouts.base}}

            """,
        ],
        "layouts/page.mustache": [
            """
            {{<layouts.base}}{{$main}}<h1>{{page.title}}</h1><p>{{page.date}}</p>
            {{{page.content}}}<ul class="nav">{{#navigation}}<li>{{title}}{{#active}} ←{{/active}}</li>{{/navigation}}</ul>{{/main}}{{/layouts.base}}

            """,
            """
            {{<layouts.base}}{{$main}}<h1>{{page.title}}</h1>{{#page.tags}}<a class="tag" href="{{url}}">{{name}}</a>{{/page.tags}}
            {{{page.content}}}<aside>{{> partials.tagcloud}}<dl>{{#data.indicators.rows}}<dt>{{indicator}}</dt><dd>{{value}}{{unit}}</dd>{{/data.indicators.rows}}</dl></aside>{{/main}}{{/layouts.base}}

            """,
            """
            {{<layouts.base}}{{$main}}<h1>{{page.title}}</h1>{{{page.content}}}
            <aside><h2>动态</h2><ul>{{#sections.news}}<li><a href="{{url}}">{{title}}</a> {{date}}</li>{{/sections.news}}</ul></aside>{{/main}}{{/layouts.base}}

            """,
        ],
        "layouts/cases.mustache": [
            """
            {{<layouts.base}}{{$main}}<h1>{{page.title}}</h1>{{{page.content}}}<aside>{{> partials.latest}}</aside>{{/main}}{{/layouts.base}}

            """,
            """
            {{<layouts.base}}{{$main}}<h1>{{page.title}}</h1><p class="date">{{page.dateISO}}</p>
            {{{page.content}}}<aside>{{> partials.tagcloud}}</aside>{{/main}}{{/layouts.base}}

            """,
            """
            {{<layouts.base}}{{$main}}<h1>{{page.title}}</h1><p class="summary">{{page.summary}}</p>{{#page.hasToc}}<ol>{{#page.toc}}<li><a href="#{{id}}">{{text}}</a></li>{{/page.toc}}</ol>{{/page.hasToc}}
            {{{page.content}}}<p>其他案例：{{#sections.cases}}<a href="{{url}}">{{title}}</a> {{/sections.cases}}</p>{{/main}}{{/layouts.base}}

            """,
        ],
        "layouts/list.mustache": [
            """
            {{<layouts.base}}{{$main}}<h1>{{page.title}}</h1>{{{page.content}}}<ul>{{#pages}}<li><a href="{{url}}">{{title}}</a> {{#tags}}<span>{{name}}</span>{{/tags}} {{readingMinutes}}</li>{{/pages}}</ul>
            {{#pagination}}<p class="pager">{{#pagination.pages}}<a href="{{url}}"{{#current}} aria-current="page"{{/current}}>{{number}}</a> {{/pagination.pages}}</p>{{/pagination}}{{/main}}{{/layouts.base}}

            """,
            """
            {{<layouts.base}}{{$main}}<h1>{{page.title}}</h1>{{{page.content}}}<ul>{{#recent}}<li><a href="{{url}}">{{title}}</a> {{dateISO}}{{{summaryHTML}}}</li>{{/recent}}</ul>
            {{#pagination}}<p class="pager">{{current}}/{{total}}</p>{{/pagination}}{{/main}}{{/layouts.base}}

            """,
            """
            {{<layouts.base}}{{$main}}<h1>{{page.title}}</h1>{{{page.content}}}{{> partials.items}}{{/main}}{{/layouts.base}}

            """,
        ],
        "layouts/tags.mustache": [
            """
            {{<layouts.base}}{{$main}}<h1>{{page.title}}</h1><ul>{{#site.tags}}<li><a href="{{url}}">{{name}}</a>（{{count}}）</li>{{/site.tags}}</ul>{{/main}}{{/layouts.base}}

            """,
        ],
        "layouts/report.mustache": [
            """
            {{<layouts.base}}{{$main}}<h1>{{page.title}}</h1>{{{page.content}}}
            <h2>案例</h2><ol>{{#sections.cases}}<li>{{title}} {{#tags}}{{name}} {{/tags}}</li>{{/sections.cases}}</ol>
            <h2>指标</h2><ul>{{#data.indicators.rows}}<li>{{indicator}} {{value}}</li>{{/data.indicators.rows}}</ul>
            <nav>{{#navigation}}<a href="{{url}}">{{title}}</a>{{/navigation}}</nav>{{/main}}{{/layouts.base}}

            """,
            """
            {{<layouts.base}}{{$main}}<h1>{{page.title}}</h1>{{{page.content}}}
            <h2>动态</h2><ol>{{#sections.news}}<li>{{title}} {{summary}}</li>{{/sections.news}}</ol>
            <h2>项目</h2><p>{{data.projects.title}}：{{#data.projects.rows}}{{name}}（{{year}}） {{/data.projects.rows}}</p>
            {{> partials.tagcloud}}{{/main}}{{/layouts.base}}

            """,
        ],
        "layouts/special.mustache": [
            """
            {{<layouts.base}}{{$main}}<h1 class="special">{{page.title}}</h1><p>{{page.date}} {{#page.tags}}{{name}} {{/page.tags}}</p>{{{page.content}}}{{/main}}{{/layouts.base}}

            """,
        ],
        "partials/nav.mustache": [
            """
            <nav>{{#navigation}}<a href="{{url}}">{{title}}</a> {{/navigation}}</nav>

            """,
            """
            <nav><b>{{site.title}}</b>{{#navigation}}<a href="{{url}}"{{#active}} class="on"{{/active}}>{{title}}</a>{{/navigation}}</nav>

            """,
        ],
        "partials/tagcloud.mustache": [
            """
            <p class="cloud">{{#site}}{{#tags}}{{name}} {{/tags}}{{/site}}</p>

            """,
            """
            <p class="cloud">{{#site}}{{#tags}}<a href="{{url}}">{{name}}（{{count}}）</a>{{/tags}}{{/site}}</p>

            """,
        ],
        "partials/items.mustache": [
            """
            <ol class="items">{{#pages}}<li>{{title}} {{summary}} {{#tags}}{{name}} {{/tags}}</li>{{/pages}}</ol>

            """,
        ],
        "partials/latest.mustache": [
            """
            <ul class="latest">{{#sections}}{{#cases}}<li>{{title}} {{date}}</li>{{/cases}}{{/sections}}</ul>

            """,
            """
            <ul class="latest">{{#site}}{{#tags}}<li>{{name}}</li>{{/tags}}{{/site}}{{#sections.news}}<li>{{title}}</li>{{/sections.news}}</ul>

            """,
        ],
        "partials/summary.mustache": [
            """
            <span class="sv">{{title}} · {{readingMinutes}} 分钟</span>

            """,
            """
            <span class="sv">{{summary}} {{#tags}}#{{name}} {{/tags}}</span>

            """,
            """
            <span class="sv"><a href="{{root}}tags/">{{site.title}}</a> {{title}} {{date}}</span>

            """,
        ],
    ]

    /// Templates the fixture lacks that edits may add: the summary view, a layout for a folder, and an extra
    /// layout pages can choose.
    static func optional(section: String) -> [String: String] {
        [
            "partials/summary.mustache": alternatives["partials/summary.mustache"]![0],
            "layouts/\(section).mustache": """
                {{<layouts.base}}{{$main}}<article class="\(section)"><h1>{{page.title}}</h1><time>{{page.dateISO}}</time>{{{page.content}}}</article>{{/main}}{{/layouts.base}}

                """,
            "layouts/wide.mustache": """
                {{<layouts.base}}{{$main}}<div class="wide"><h1>{{page.title}}</h1>{{{page.content}}}<p>{{#recent}}{{title}} {{/recent}}</p></div>{{/main}}{{/layouts.base}}

                """,
        ]
    }
}
