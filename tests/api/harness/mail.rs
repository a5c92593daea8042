//! The outbox read as an inbox: `.eml` files parsed into their parts.

use std::collections::HashMap;

/// A mail read from the outbox, its parts decoded.
#[derive(Debug)]
pub struct Mail {
    /// The `To` header.
    pub to: String,
    /// The `Subject` header.
    pub subject: String,
    /// The `text/plain` part.
    pub text: Option<String>,
    /// The `text/html` part.
    pub html: Option<String>,
}

impl Mail {
    /// Parses an RFC 5322 message with a `multipart/alternative` body;
    /// `None` while the file is still incomplete.
    pub(super) fn parse(raw: &str) -> Option<Self> {
        let raw = raw.replace("\r\n", "\n");
        let (head, body) = raw.split_once("\n\n")?;
        let headers = parse_headers(head);
        let content_type = headers.get("content-type")?;
        let boundary = content_type
            .split(';')
            .filter_map(|p| p.trim().strip_prefix("boundary="))
            .map(|b| b.trim_matches('"'))
            .next()?;
        let closing = format!("--{boundary}--");
        let body = body
            .split(&closing)
            .next()
            .filter(|_| body.contains(&closing))?;

        let mut mail = Self {
            to: headers.get("to")?.clone(),
            subject: headers.get("subject").cloned().unwrap_or_default(),
            text: None,
            html: None,
        };
        for part in body.split(&format!("--{boundary}\n")).skip(1) {
            let (head, content) = part.split_once("\n\n")?;
            let headers = parse_headers(head);
            let kind = headers.get("content-type").map(|t| t.to_ascii_lowercase());
            let encoding = headers
                .get("content-transfer-encoding")
                .map(|e| e.to_ascii_lowercase());
            let decoded = decode_part(content, encoding.as_deref().unwrap_or("7bit"))?;
            match kind.as_deref() {
                Some(t) if t.starts_with("text/plain") => mail.text = Some(decoded),
                Some(t) if t.starts_with("text/html") => mail.html = Some(decoded),
                _ => {}
            }
        }
        Some(mail)
    }

    /// The first link in the text part that starts with `prefix`, up to the
    /// end of its line.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let text = self.text.as_deref()?;
        let start = text.find(prefix)?;
        let link = text[start..].split_whitespace().next()?;
        Some(link.to_owned())
    }
}

fn parse_headers(head: &str) -> HashMap<String, String> {
    let unfolded = head.replace("\n ", " ").replace("\n\t", " ");
    unfolded
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect()
}

fn decode_part(content: &str, encoding: &str) -> Option<String> {
    match encoding {
        "quoted-printable" => decode_quoted_printable(content),
        "base64" => {
            use base64::Engine as _;
            let compact: String = content.chars().filter(|c| !c.is_whitespace()).collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(compact)
                .ok()?;
            String::from_utf8(bytes).ok()
        }
        _ => Some(content.trim_end_matches('\n').to_owned()),
    }
}

/// Quoted-printable: `=` at a line's end joins it to the next (a soft line
/// break), `=XX` is one byte.
fn decode_quoted_printable(content: &str) -> Option<String> {
    let joined = content.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
