//! The official descriptions, kept as written but safe as rustdoc: they are Markdown with
//! stray HTML, square brackets that are not links, bare URLs and indented lines, each of which
//! rustdoc warns about (the generated crate's docs build with warnings denied) or, for an
//! indented block or a fence, would compile as a doctest.

/// A description as rustdoc-safe Markdown: `<`/`>` as entities, brackets escaped unless they
/// form a `[text](url)` link, bare URLs in `<…>`, lines not indented, fences as text blocks.
pub(crate) fn doc_text(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    let mut lines = Vec::new();
    for line in raw.trim().lines() {
        let line = line.trim();
        if line.starts_with("```") || line.starts_with("~~~") {
            lines.push(String::new());
            continue;
        }
        lines.push(escape_line(line));
    }
    lines.join("\n")
}

fn escape_line(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '['
            && let Some(end) = link_end(&chars, i)
        {
            let text: String = chars[i + 1..end.0].iter().collect();
            let url: String = chars[end.0 + 2..end.1].iter().collect();
            out.push('[');
            out.push_str(&escape_plain(&text));
            out.push_str("](");
            out.push_str(&url.replace(' ', "%20"));
            out.push(')');
            i = end.1 + 1;
            continue;
        }
        if starts_url(&chars, i) {
            let end = (i..chars.len()).find(|&j| url_stops(chars[j])).unwrap_or(chars.len());
            let url: String = chars[i..end].iter().collect();
            let url = url.trim_end_matches(['.', ',', ')', ';']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            i += url.chars().count();
            continue;
        }
        out.push_str(&escape_plain(&c.to_string()));
        i += 1;
    }
    out
}

/// `[text](http…)` starting at `open`: the positions of `]` and `)`.
fn link_end(chars: &[char], open: usize) -> Option<(usize, usize)> {
    let close = (open + 1..chars.len()).find(|&j| chars[j] == ']')?;
    if chars.get(close + 1) != Some(&'(') || !starts_url(chars, close + 2) {
        return None;
    }
    let end = (close + 2..chars.len()).find(|&j| chars[j] == ')')?;
    Some((close, end))
}

fn starts_url(chars: &[char], at: usize) -> bool {
    let rest: String = chars[at..chars.len().min(at + 8)].iter().collect();
    rest.starts_with("https://") || rest.starts_with("http://")
}

fn url_stops(c: char) -> bool {
    c.is_whitespace() || !c.is_ascii() || matches!(c, '<' | '>' | '"' | '`' | '[' | ']' | '|')
}

fn escape_plain(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '`' => out.push('\''),
            '*' => out.push_str("\\*"),
            '_' => out.push('_'),
            '#' => out.push_str("\\#"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::doc_text;

    #[test]
    fn markdown_that_rustdoc_warns_about_is_escaped_and_links_kept() {
        assert_eq!(doc_text("富文本 <b>加粗</b> [a]"), "富文本 &lt;b&gt;加粗&lt;/b&gt; \\[a\\]");
        assert_eq!(doc_text("见[概述](https://open.feishu.cn/a b)。"), "见[概述](https://open.feishu.cn/a%20b)。");
        assert_eq!(doc_text("地址 https://open.feishu.cn/x。"), "地址 <https://open.feishu.cn/x>。");
        assert_eq!(doc_text("  indented\n    code\n```json\n{}\n```"), "indented\ncode\n\n{}\n");
    }
}
