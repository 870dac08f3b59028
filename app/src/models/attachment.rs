//! Files attached to a lead: what the lead page lists, and the rules for a file's name.

use crate::i18n::{fill, Locale};
use serde::{Deserialize, Serialize};

/// The longest file name kept (characters); a longer one is refused, never cut.
pub const MAX_FILE_NAME_CHARS: usize = 255;

/// One attached file as the lead page and the API list it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: i64,
    pub lead_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_by_name: Option<String>,
    pub created_at: i64,
    /// Whether the reader may delete it (whoever uploaded it, the lead's owner, admins and
    /// managers).
    pub deletable: bool,
}

impl Attachment {
    /// Where a signed-in user downloads it.
    pub fn download_url(&self) -> String {
        format!("/admin/attachments/{}", self.id)
    }
}

/// A lead's files, and the largest upload the server takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadAttachments {
    pub attachments: Vec<Attachment>,
    pub max_bytes: u64,
}

/// The name a file is kept under: the last path segment of what the client sent, without
/// control characters, trimmed. Empty becomes "file"; longer than `MAX_FILE_NAME_CHARS` is an
/// error (the message names the limit).
pub fn clean_file_name(raw: &str, locale: Locale) -> Result<String, String> {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = last.chars().filter(|c| !c.is_control()).collect();
    let name = name.trim();
    let name = if name.is_empty() || name == "." || name == ".." {
        "file"
    } else {
        name
    };
    if name.chars().count() > MAX_FILE_NAME_CHARS {
        return Err(fill(
            locale.t().err_file_name_too_long,
            &[("max", &MAX_FILE_NAME_CHARS)],
        ));
    }
    Ok(name.to_string())
}

/// The message for a file over the size limit ("… larger than 25 MB").
pub fn too_large_message(file_name: &str, max_bytes: u64, locale: Locale) -> String {
    fill(
        locale.t().err_file_too_large,
        &[("name", &file_name), ("max", &human_size(max_bytes))],
    )
}

/// A size as people read it: 812 B, 14 KB, 2.4 MB.
pub fn human_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.0} KB", (b / KB).max(1.0))
    } else if b < KB * KB * KB {
        let mb = b / (KB * KB);
        if mb < 10.0 {
            format!("{mb:.1} MB")
        } else {
            format!("{mb:.0} MB")
        }
    } else {
        format!("{:.1} GB", b / (KB * KB * KB))
    }
}

/// A short type label for the list: the extension in capitals ("PDF", "XLSX"), else the
/// media type's subtype.
pub fn type_label(file_name: &str, content_type: &str) -> String {
    match file_name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.is_empty() && ext.len() <= 5 => {
            ext.to_ascii_uppercase()
        }
        _ => content_type
            .split_once('/')
            .map_or(content_type, |(_, sub)| sub)
            .to_ascii_uppercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_their_path_and_are_never_cut() {
        let en = Locale::En;
        assert_eq!(
            clean_file_name("C:\\Users\\ana\\offer.pdf", en).unwrap(),
            "offer.pdf"
        );
        assert_eq!(clean_file_name("../../etc/passwd", en).unwrap(), "passwd");
        assert_eq!(clean_file_name("  \u{7}  ", en).unwrap(), "file");
        assert_eq!(clean_file_name("..", en).unwrap(), "file");
        assert!(clean_file_name(&"a".repeat(256), en)
            .unwrap_err()
            .contains("255"));
        assert_eq!(
            clean_file_name(&"ă".repeat(255), en)
                .unwrap()
                .chars()
                .count(),
            255
        );
    }

    #[test]
    fn sizes_and_types_read_naturally() {
        assert_eq!(human_size(812), "812 B");
        assert_eq!(human_size(14 * 1024 + 100), "14 KB");
        assert_eq!(human_size(2_516_582), "2.4 MB");
        assert_eq!(human_size(25 * 1024 * 1024), "25 MB");
        assert_eq!(type_label("offer.pdf", "application/pdf"), "PDF");
        assert_eq!(type_label("README", "text/plain"), "PLAIN");
        assert_eq!(
            type_label(".env", "application/octet-stream"),
            "OCTET-STREAM"
        );
    }
}
