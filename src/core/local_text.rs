//! Scenario text a reader sees (scenario and policy names and descriptions),
//! given once or per language:
//!
//! ```toml
//! name = "Transport support"
//! name = { en = "Transport support", fr = "Transport du personnel" }
//! ```
//!
//! A [`LocalText`] reads as the text of the run's language once
//! [`LocalText::localise`] has chosen it (the CLI does so right after loading),
//! so every title, legend and report shows it; it keeps every variant, so the
//! resolved scenario writes them all back.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Deref;

use serde::{Serialize, Serializer};
use toml::Value;

/// The language codes a text may be given in.
pub const LANGUAGES: [&str; 2] = ["en", "fr"];

/// A text given once, or per language.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocalText {
    /// The text shown: the chosen language's, else the English one, else the
    /// first given.
    shown: String,
    /// Every variant by language code; empty when the text was given once.
    variants: BTreeMap<String, String>,
}

/// `text` without control characters (escape sequences, carriage returns,
/// C1 codes), Unicode noncharacters, bidirectional embeddings, overrides and
/// isolates (which can make a name read backwards, unpaired), and line or
/// paragraph separators: a name from a scenario file reaches terminals, CSV,
/// JSON, XML and workbooks, and none of them should carry those. Line breaks,
/// tabs and the plain direction marks (U+200E, U+200F) that Arabic text may
/// need are kept.
pub fn printable(text: &str) -> String {
    text.chars()
        .filter(|&c| !((c.is_control() && c != '\n' && c != '\t') || is_hidden(c)))
        .collect()
}

/// A noncharacter, a bidirectional embedding, override or isolate, or a line
/// or paragraph separator: characters no name needs.
pub fn is_hidden(c: char) -> bool {
    let v = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&v)
        || v & 0xFFFE == 0xFFFE
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// Longest name or description: Excel holds at most 32,767 characters in a
/// cell, and the workbooks show every text.
pub const MAX_CHARS: usize = 32_000;

impl LocalText {
    /// A text given once, the same in every language.
    pub fn plain(text: impl Into<String>) -> LocalText {
        LocalText {
            shown: text.into(),
            variants: BTreeMap::new(),
        }
    }

    /// Reads a text in quotes or a table of texts by language code; the error
    /// says what is wrong and how to write it.
    pub fn read(value: &Value) -> Result<LocalText, String> {
        let text = LocalText::read_unchecked(value)?;
        let longest = text
            .variants
            .values()
            .chain([&text.shown])
            .map(|t| t.chars().count())
            .max()
            .unwrap_or(0);
        if longest > MAX_CHARS {
            return Err(format!(
                "is {longest} characters long; at most {MAX_CHARS} fit in a workbook cell: shorten it"
            ));
        }
        Ok(text)
    }

    fn read_unchecked(value: &Value) -> Result<LocalText, String> {
        match value {
            Value::String(s) => Ok(LocalText::plain(printable(s))),
            Value::Table(t) if !t.is_empty() => {
                let mut variants = BTreeMap::new();
                for (code, text) in t {
                    if !LANGUAGES.contains(&code.as_str()) {
                        return Err(format!(
                            "`{code}` is not a language shorecast writes; give the text as {}",
                            LANGUAGES
                                .iter()
                                .map(|c| format!("{c} = \"...\""))
                                .collect::<Vec<_>>()
                                .join(" and/or ")
                        ));
                    }
                    match text {
                        Value::String(s) => {
                            variants.insert(code.clone(), printable(s));
                        }
                        _ => return Err(format!("`{code}` must be a text in quotes")),
                    }
                }
                let shown = variants
                    .get("en")
                    .or_else(|| variants.values().next())
                    .cloned()
                    .unwrap_or_default();
                Ok(LocalText { shown, variants })
            }
            _ => Err(
                "must be a text in quotes, or one per language: { en = \"...\", fr = \"...\" }"
                    .to_string(),
            ),
        }
    }

    /// Shows the text of language `code` when given, the English one (or the
    /// first given) otherwise, with no line break inside a number.
    pub fn localise(&mut self, code: &str) {
        let text = self
            .variants
            .get(code)
            .or_else(|| self.variants.get("en"))
            .or_else(|| self.variants.values().next())
            .unwrap_or(&self.shown);
        self.shown = keep_numbers_whole(text);
    }

    /// True when every variant (or the single text) is blank.
    pub fn is_blank(&self) -> bool {
        self.shown.trim().is_empty() && self.variants.values().all(|v| v.trim().is_empty())
    }
}

/// `text` with each space that splits a number's groups of digits ("2 000",
/// "1 500 000") made a narrow no-break space, as French typography writes
/// them, so that no chart or report breaks a line inside a number.
fn keep_numbers_whole(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let digit = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let splits_number =
                c == ' ' && i > 0 && digit(i - 1) && (i + 1..i + 4).all(digit) && !digit(i + 4);
            if splits_number { '\u{202f}' } else { c }
        })
        .collect()
}

impl Deref for LocalText {
    type Target = str;

    fn deref(&self) -> &str {
        &self.shown
    }
}

impl fmt::Display for LocalText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl Serialize for LocalText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.variants.is_empty() {
            serializer.serialize_str(&self.shown)
        } else {
            self.variants.serialize(serializer)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_longer_than_a_workbook_cell_are_refused() {
        let at_most = Value::String("x".repeat(MAX_CHARS));
        assert!(LocalText::read(&at_most).is_ok());
        let longer = Value::String("é".repeat(MAX_CHARS + 1));
        let e = LocalText::read(&longer).unwrap_err();
        assert!(e.contains("32001 characters"), "{e}");
        let mut table = toml::Table::new();
        table.insert("fr".into(), longer);
        assert!(LocalText::read(&Value::Table(table)).is_err());
    }

    #[test]
    fn numbers_written_with_spaces_stay_on_one_line() {
        let mut name = parse(
            "name = { en = \"2,000 places\", fr = \"Formation OFPPT, 2 000 places par an\" }",
        )
        .unwrap();
        name.localise("fr");
        assert_eq!(&*name, "Formation OFPPT, 2\u{202f}000 places par an");
        assert_eq!(
            keep_numbers_whole("1 500 000 MAD, en 2019 2020, 12 345 6"),
            "1\u{202f}500\u{202f}000 MAD, en 2019 2020, 12\u{202f}345 6"
        );
    }

    fn parse(text: &str) -> Result<LocalText, String> {
        let table: toml::Table = text.parse().unwrap();
        LocalText::read(&table["name"])
    }

    #[test]
    fn a_text_is_given_once_or_per_language() {
        let mut plain = parse(r#"name = "Transport""#).unwrap();
        plain.localise("fr");
        assert_eq!(&*plain, "Transport");
        let mut both = parse(r#"name = { fr = "Formation", en = "Training" }"#).unwrap();
        assert_eq!(&*both, "Training", "English until localised");
        both.localise("fr");
        assert_eq!(both.to_string(), "Formation");
        let mut only_fr = parse(r#"name = { fr = "Formation" }"#).unwrap();
        only_fr.localise("en");
        assert_eq!(&*only_fr, "Formation", "the only variant stands in");
    }

    #[test]
    fn a_wrong_language_or_type_is_explained() {
        let e = parse(r#"name = { de = "Ausbildung" }"#).unwrap_err();
        assert!(
            e.contains("`de`") && e.contains("en = \"...\" and/or fr"),
            "{e}"
        );
        assert!(parse("name = 3").unwrap_err().contains("one per language"));
        assert!(parse("name = { fr = 3 }").unwrap_err().contains("`fr`"));
    }

    #[test]
    fn every_variant_is_written_back() {
        #[derive(Serialize)]
        struct S {
            name: LocalText,
        }
        let mut name = parse(r#"name = { fr = "Formation", en = "Training" }"#).unwrap();
        name.localise("fr");
        let text = toml::to_string(&S { name }).unwrap();
        let back: toml::Table = text.parse().unwrap();
        assert_eq!(back["name"]["en"].as_str(), Some("Training"));
        assert_eq!(back["name"]["fr"].as_str(), Some("Formation"));
    }
}
