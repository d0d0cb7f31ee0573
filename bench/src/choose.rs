//! Which body a row decodes: the first candidate (`answers::candidates`) that both ours and
//! rsdo decode; else the first ours decodes, with the members rsdo rejects left out
//! (`fit`) when that makes rsdo decode it; else that candidate, without rsdo's figures.

use crate::answers::{self, Candidate};
use crate::cases::Case;
use crate::{context, fit};

/// The body of `case`, printed with its size and origin, and whether members were left out of
/// it for rsdo; what the reader should know goes to `notes`.
pub fn body(examples: &answers::Examples, case: &Case, notes: &mut Vec<String>) -> Result<(Candidate, bool), String> {
    let candidates = answers::candidates(examples, case).map_err(|e| format!("{}: {e}", case.label))?;
    let tried = candidates.len();
    let mut fallback: Option<(bool, Candidate)> = None;
    let mut first_derive_error = None;
    for (i, candidate) in candidates.into_iter().enumerate() {
        let ours = (case.ours)(&candidate.body).is_ok();
        let derive = (case.derive)(&candidate.body);
        if let Err(e) = &derive {
            first_derive_error.get_or_insert_with(|| format!("at {}: {}", candidate.pointer, context(&candidate.body, e)));
        }
        match (ours, derive.is_ok()) {
            (true, true) => {
                if let Some(error) = first_derive_error {
                    notes.push(format!("{}: rsdo does not decode an earlier candidate ({error}); the bench uses candidate {}", case.label, i + 1));
                }
                print(case, &candidate, &format!("candidate {} of {tried}", i + 1));
                return Ok((candidate, false));
            }
            (true, false) if !matches!(fallback, Some((true, _))) => fallback = Some((true, candidate)),
            _ if fallback.is_none() => fallback = Some((false, candidate)),
            _ => {}
        }
    }
    let (ours_ok, candidate) = fallback.ok_or_else(|| format!("{}: no candidate body", case.label))?;
    let error = first_derive_error.unwrap_or_default();
    notes.push(format!("{}: rsdo ({}) decodes none of the {tried} candidate bodies; first {error}", case.label, case.derive_type));
    if ours_ok {
        if let Some((body, left_out)) = fit::fit(case, &candidate.body).filter(|(body, _)| (case.ours)(body).is_ok()) {
            notes.push(format!(
                "{}: so its body leaves out, in every item, what rsdo rejects: {} (both decode the same body)",
                case.label,
                left_out.join(", ")
            ));
            let fitted = Candidate { pointer: candidate.pointer, body };
            print(case, &fitted, &format!("{} member(s) rsdo rejects left out", left_out.len()));
            return Ok((fitted, true));
        }
    }
    print(case, &candidate, "rsdo decodes none");
    Ok((candidate, false))
}

fn print(case: &Case, candidate: &Candidate, which: &str) {
    println!("{:<24} {:>8} bytes, {} item(s) from {} ({which})", case.label, candidate.body.len(), case.expected(), candidate.pointer);
}
