//! The audit log's actions in people's words, for the dashboard's "Recent changes" and a
//! paper's history. The stored codes stay as they are (exports and the database keep them).

/// What `action` means, e.g. "submission.withdraw" → "Submission withdrawn".
pub fn describe(action: &str) -> String {
    let known = match action {
        "submission.create" => "New submission",
        "submission.update" => "Submission edited",
        "submission.withdraw" => "Submission withdrawn",
        "submission.reinstate" => "Submission reinstated",
        "submission.unlock" => "Submission unlocked for late fixes",
        "settings.update" => "Conference settings changed",
        "chair.add" => "Chair added",
        "chair.remove" => "Chair removed",
        "reviewer.add" => "Reviewer added",
        "conflict.add" => "Conflict added",
        "conflict.remove" => "Conflict removed",
        "assignment.preview" => "Assignment computed (preview)",
        "assignment.discard" => "Assignment preview discarded",
        "assignment.commit" => "Assignment committed; reviewers emailed",
        "assignment.conflict_reported" => "A reviewer reported a conflict",
        "assignment.add" => "Reviewer assigned",
        "assignment.remove" => "Reviewer unassigned",
        "review.submit" => "Review submitted",
        "review.revise" => "Review revised",
        "review.reopen" => "Review reopened for editing",
        "review.remind" => "Review reminders sent",
        "decision.set" => "Decision set",
        "decision.release" => "Decision released to the authors",
        "letter.save" => "Letter template saved",
        "mail.group" => "Message sent to a group",
        "mail.retry_failed" => "Failed emails queued again",
        "camera_ready.save" => "Camera-ready version uploaded",
        "program.save" => "Program saved",
        "program.reset" => "Program reset to the default day",
        "account.email_changed" => "A person changed their email address",
        "account.password_changed" => "A person changed their password",
        "discussion.comment" => "Comment posted in the discussion",
        "response.submit" => "Authors' response submitted; reviewers emailed",
        "response.revise" => "Authors' response changed",
        "meta_review.save" => "Meta-review saved",
        "area_chairs.set" => "Area chairs changed",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    // An action added later without words here: still readable, never a raw code.
    let mut words = action.replace(['.', '_'], " ");
    if let Some(first) = words.get(..1) {
        words = first.to_uppercase() + &words[1..];
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_actions_read_as_sentences_and_unknown_ones_lose_their_dots() {
        assert_eq!(describe("submission.withdraw"), "Submission withdrawn");
        assert_eq!(describe("outbox.purge_old"), "Outbox purge old");
    }
}
