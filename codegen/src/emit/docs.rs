//! Spec descriptions (CommonMark written for a web page) to rustdoc text that builds without
//! warnings and never turns into a doctest.

/// Doc lines for a description: dedented, code fences marked `text`, indented code blocks
/// flattened, stray brackets, angle brackets and bare URLs escaped outside code.
pub fn doc_lines(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.trim_matches('\n').lines().map(str::trim_end).collect();
    let indent = lines.iter().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
    let mut out = Vec::new();
    let mut in_fence = false;
    // The content column of the list item being written, for its continuation lines.
    let mut list_indent: Option<usize> = None;
    for line in lines {
        let line = line.get(indent..).unwrap_or(line.trim_start());
        let trimmed = line.trim_start();
        if let Some(lang) = trimmed.strip_prefix("```") {
            if in_fence {
                out.push("```".to_owned());
            } else {
                let lang = lang.trim();
                out.push(if lang == "rust" { "```rust,ignore".to_owned() } else { "```text".to_owned() });
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
            continue;
        }
        if trimmed.is_empty() {
            list_indent = None;
            out.push(String::new());
            continue;
        }
        let mut lead = (line.len() - trimmed.len()).min(3);
        match list_marker_len(trimmed) {
            Some(marker) => list_indent = Some(lead + marker),
            None => lead = list_indent.unwrap_or(lead),
        }
        out.push(format!("{}{}", " ".repeat(lead), escape_inline(trimmed)));
    }
    if in_fence {
        out.push("```".to_owned());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// `///` lines at `indent`.
pub(super) fn push_docs(out: &mut String, indent: &str, lines: Vec<String>) {
    for line in lines {
        out.push_str(indent);
        out.push_str("///");
        if !line.is_empty() {
            out.push(' ');
            out.push_str(&line);
        }
        out.push('\n');
    }
}

/// The width of a list marker and its space (`- `, `* `, `+ `, `12. `, `3) `), if the line
/// starts a list item.
fn list_marker_len(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && digits < 10 && (rest.starts_with(". ") || rest.starts_with(") "))).then_some(digits + 2)
}

/// Escapes one line of prose, leaving inline code spans and `[text](url)` links alone.
fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('`') {
            if let Some(end) = after.find('`') {
                out.push('`');
                out.push_str(&after[..=end]);
                rest = &after[end + 1..];
                continue;
            }
        }
        if rest.starts_with('[') {
            if let Some(len) = markdown_link_len(rest) {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
                continue;
            }
        }
        if let Some(host) = rest.strip_prefix("http://").or_else(|| rest.strip_prefix("https://")) {
            if !host.starts_with(|c: char| c.is_ascii_alphanumeric()) {
                // `https://<host>:<port>` is a pattern, not a link: escape it as prose.
                out.push_str(&rest[..rest.len() - host.len()]);
                rest = host;
                continue;
            }
            let end = rest.find(|c: char| c.is_whitespace() || matches!(c, ')' | '<' | '>' | '"' | '`')).unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        match c {
            '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '<' if ["<br>", "<br/>", "<br />"].iter().any(|tag| rest.starts_with(tag)) => {
                // A line break is the one HTML tag the spec uses on purpose; rustdoc accepts it.
                let tag = rest.find('>').map(|i| i + 1).unwrap_or(1);
                out.push_str(&rest[..tag]);
                rest = &rest[tag..];
                continue;
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The length of a `[text](target)` link at the start of `s`, if there is one.
fn markdown_link_len(s: &str) -> Option<usize> {
    let close = s.find("](")?;
    if s[1..close].contains(['[', ']']) {
        return None;
    }
    let target = &s[close + 2..];
    let end = target.find(')')?;
    Some(close + 2 + end + 1)
}

#[cfg(test)]
mod tests {
    use super::doc_lines;

    #[test]
    fn code_blocks_never_become_doctests() {
        let lines = doc_lines("Example:\n\n```json\n{\"a\": 1}\n```\n\n    indented code\n");
        // Three spaces at most: never an indented code block (a doctest).
        assert_eq!(lines, ["Example:", "", "```text", "{\"a\": 1}", "```", "", "   indented code"]);
    }

    #[test]
    fn list_items_continue_indented() {
        let lines = doc_lines("Steps:\n- first line\nwraps here\n1. one\ntwo\n\nAfter.");
        assert_eq!(lines, ["Steps:", "- first line", "  wraps here", "1. one", "   two", "", "After."]);
    }

    #[test]
    fn brackets_html_and_bare_urls_are_escaped_outside_code() {
        let lines = doc_lines("See https://example.com. Use `a[0] <b>` or [docs](https://d.io/x) [user=%u] <upload_url>");
        assert_eq!(lines, ["See <https://example.com>. Use `a[0] <b>` or [docs](https://d.io/x) \\[user=%u\\] &lt;upload_url&gt;"]);
        assert_eq!(doc_lines("Format: https://<host>:<port>."), ["Format: https://&lt;host&gt;:&lt;port&gt;."]);
        assert_eq!(doc_lines("One.<br>Two.<br/>"), ["One.<br>Two.<br/>"]);
    }
}
