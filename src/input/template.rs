//! The commented scenario template that `shorecast init NAME` writes: every
//! section a region must state, with values to replace and their meaning.

/// The template text, named `name`. It is a valid scenario as written, so a
/// planner can run it while filling it in.
pub fn scenario_template(name: &str) -> String {
    include_str!("template.toml")
        .replace(
            "__QUOTED_NAME__",
            &toml::Value::String(name.to_string()).to_string(),
        )
        .replace("__NAME__", &name.replace('\n', " "))
}

/// A file name for the scenario `name`: lower-case letters, digits and dashes.
pub fn file_name(name: &str) -> String {
    let mut stem = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            stem.push(c);
        } else if !stem.ends_with('-') && !stem.is_empty() {
            stem.push('-');
        }
    }
    let stem = stem.trim_end_matches('-');
    format!("{}.toml", if stem.is_empty() { "scenario" } else { stem })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::policy::load_with_policies;

    #[test]
    fn the_template_is_a_valid_scenario_without_warnings() {
        for name in ["Tanger \"Med\" Shore", "Fès\nMeknès"] {
            let text = scenario_template(name);
            let (s, _) = load_with_policies(&text, "template.toml").unwrap();
            assert_eq!(&*s.meta.name, name);
            assert!(s.warnings.is_empty(), "{:?}", s.warnings);
            assert_eq!(s.firms[1].ramp.len(), 2);
        }
    }

    #[test]
    fn file_names_are_plain() {
        assert_eq!(file_name("Tanger Med / Shore "), "tanger-med-shore.toml");
        assert_eq!(file_name("???"), "scenario.toml");
    }
}
