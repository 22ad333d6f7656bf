//! The built-in letters a conference starts from (decision, camera-ready reminder, general
//! message) and the sample values the preview and validation render them with.

use serde_json::json;

use super::{LetterKind, LetterTemplate};

/// The text a conference starts from for each kind of letter.
pub fn default_template(kind: LetterKind) -> LetterTemplate {
    let (subject, body) = match kind {
        LetterKind::Decision => (
            "[{{ conference }}] Decision on submission #{{ number }}: {{ title }}",
            DECISION_BODY,
        ),
        LetterKind::CameraReadyReminder => (
            "[{{ conference }}] Camera-ready reminder for #{{ number }}: {{ title }}",
            REMINDER_BODY,
        ),
        LetterKind::General => (
            "[{{ conference }}] A message from the organizers",
            GENERAL_BODY,
        ),
    };
    LetterTemplate {
        subject: subject.to_owned(),
        body: body.to_owned(),
    }
}

const DECISION_BODY: &str = r#"Dear {{ name }},

{% if accepted %}
Congratulations! We are delighted to let you know that your submission #{{ number }} "{{ title }}" has been accepted to {{ conference }}{% if presentation %} as a {{ presentation }}{% endif %}.

Please upload the camera-ready version by {{ camera_ready_due }}:
{{ link }}

We look forward to seeing you at the workshop.
{% else %}
Thank you for submitting #{{ number }} "{{ title }}" to {{ conference }}. We are sorry to let you know that it was not accepted this year. We received many strong submissions and had to make difficult choices.

We hope the reviews below are useful for your work, and we would be glad to see you at the workshop all the same. Your submission stays available at {{ link }}.
{% endif %}
{% for review in reviews %}
{% if loop.first %}

The reviews of your submission follow.
{% endif %}

==== {{ review.label }} ====
Overall: {{ review.overall }}
Confidence: {{ review.confidence }}

{{ review.text }}
{% endfor %}

Best regards,
The {{ conference }} organizers
"#;

const REMINDER_BODY: &str = r#"Dear {{ name }},

This is a friendly reminder that the camera-ready version of #{{ number }} "{{ title }}" is due {{ camera_ready_due }}.

You can upload it here:
{{ link }}

If you have already uploaded it, thank you, and please ignore this message.

Best regards,
The {{ conference }} organizers
"#;

const GENERAL_BODY: &str = r#"Dear {{ name }},

(Write your message here.)

{{ link }}

Best regards,
The {{ conference }} organizers
"#;

/// Sample values for the preview page: an accepted paper with two reviews.
pub fn example_context(kind: LetterKind) -> serde_json::Value {
    let mut sample = json!({
        "name": "Maria Chen",
        "conference": "DEML @ NeurIPS 2025",
        "number": 17,
        "title": "Stable neural ODEs via contractive vector fields",
        "decision": "accepted",
        "presentation": "contributed talk (15 min)",
        "accepted": true,
        "reviews": [
            {
                "label": "Reviewer A",
                "overall": "4 (accept)",
                "confidence": "4 (confident)",
                "text": "A clear, well-motivated paper. The contraction argument is neat; \
                         the experiments on stiff systems would benefit from wall-clock times."
            },
            {
                "label": "Reviewer B",
                "overall": "3 (weak accept)",
                "confidence": "3 (fairly confident)",
                "text": "Interesting idea. Please compare with Lipschitz-constrained ODE \
                         baselines and discuss the cost of the projection step."
            }
        ],
        "camera_ready_due": "Friday 17 October 2025, 23:59 AoE",
        "link": "https://cfp.example.org/papers/17",
    });
    if let Some(fields) = sample.as_object_mut() {
        fields.retain(|key, _| kind.placeholders().iter().any(|p| p.name == key));
    }
    sample
}

pub(super) fn rejected_example() -> serde_json::Value {
    let mut context = example_context(LetterKind::Decision);
    context["decision"] = json!("rejected");
    context["presentation"] = json!("");
    context["accepted"] = json!(false);
    context
}
