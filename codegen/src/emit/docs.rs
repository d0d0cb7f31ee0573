//! Spec descriptions (CommonMark written for a web page) to rustdoc text that builds without
//! warnings and never turns into a doctest.

/// Doc lines for a description: dedented, code fences marked `text`, indented code blocks
/// flattened, stray brackets, angle brackets and bare URLs escaped outside code.
pub fn doc_lines(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.trim_matches('\n').lines().map(str::trim_end).collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = Vec::new();
    let mut in_fence = false;
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
        let lead = (line.len() - trimmed.len()).min(3);
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
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let end = rest.find(|c: char| c.is_whitespace() || c == ')' || c == '>' || c == '"').unwrap_or(rest.len());
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
    fn brackets_html_and_bare_urls_are_escaped_outside_code() {
        let lines = doc_lines("See https://example.com. Use `a[0] <b>` or [docs](https://d.io/x) [user=%u] <upload_url>");
        assert_eq!(
            lines,
            ["See <https://example.com>. Use `a[0] <b>` or [docs](https://d.io/x) \\[user=%u\\] &lt;upload_url&gt;"]
        );
    }
}
