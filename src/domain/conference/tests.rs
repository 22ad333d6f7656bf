//! Tests of the conference settings, their defaults and the settings form.

use super::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap()
}

#[test]
fn defaults_lie_in_the_future_and_keep_the_dlde_shape() {
    let s = ConferenceSettings::dlde_defaults(now());
    assert!(s.dates.submission_deadline > now());
    assert_eq!(
        format_in_zone(s.dates.submission_deadline, s.tz()),
        "Fri 17 Sep 2027, 23:59 PDT (UTC−07:00)"
    );
    assert_eq!(
        (
            s.page_limit,
            s.reviews_per_paper,
            s.talk_slots,
            s.spotlight_slots
        ),
        (4, 3, 4, 8)
    );
    assert!(ConferenceSettings::try_from(&SettingsForm::from_settings(&s, 1)).is_ok());
}

#[test]
fn reviewer_labels_count_past_z() {
    let l = LabelStyle::Letters;
    assert_eq!(
        [
            l.label(0),
            l.label(2),
            l.label(25),
            l.label(26),
            l.label(27)
        ],
        [
            "Reviewer A",
            "Reviewer C",
            "Reviewer Z",
            "Reviewer AA",
            "Reviewer AB"
        ]
        .map(String::from)
    );
    assert_eq!(LabelStyle::Numbers.label(1), "Reviewer 2");
}

#[test]
fn reminder_days_are_read_sorted_and_checked() {
    let s = ConferenceSettings::dlde_defaults(now());
    let mut f = SettingsForm::from_settings(&s, 1);
    assert_eq!(f.review_reminder_days, "7, 1");
    f.review_reminder_days = "1, 14,7,7".into();
    assert_eq!(
        ConferenceSettings::try_from(&f)
            .unwrap()
            .review_reminder_days,
        vec![14, 7, 1]
    );
    f.review_reminder_days = "soon".into();
    assert!(
        ConferenceSettings::try_from(&f)
            .unwrap_err()
            .get("review_reminder_days")
            .is_some()
    );
}

#[test]
fn a_form_round_trips_to_the_same_settings() {
    let s = ConferenceSettings::dlde_defaults(now());
    let parsed = ConferenceSettings::try_from(&SettingsForm::from_settings(&s, 1)).unwrap();
    assert_eq!(parsed, s);
}

#[test]
fn deadlines_out_of_order_are_refused_beside_the_later_field() {
    let s = ConferenceSettings::dlde_defaults(now());
    let mut f = SettingsForm::from_settings(&s, 1);
    f.review_due = "2020-01-01T00:00".into();
    let e = ConferenceSettings::try_from(&f).unwrap_err();
    assert!(
        e.get("review_due")
            .unwrap()
            .contains("must be after bidding closes")
    );
}

#[test]
fn unknown_time_zone_and_inverted_loads_are_refused() {
    let s = ConferenceSettings::dlde_defaults(now());
    let mut f = SettingsForm::from_settings(&s, 1);
    f.time_zone = "Mars/Olympus_Mons".into();
    f.reviewer_load_min = "6".into();
    f.reviewer_load_max = "5".into();
    let e = ConferenceSettings::try_from(&f).unwrap_err();
    assert!(
        e.get("time_zone")
            .unwrap()
            .contains("not a known IANA time zone")
    );
    assert!(
        e.get("reviewer_load_min")
            .unwrap()
            .contains("cannot exceed")
    );
}

#[test]
fn form_times_are_read_in_the_conference_zone() {
    let s = ConferenceSettings::dlde_defaults(now());
    let mut f = SettingsForm::from_settings(&s, 1);
    f.time_zone = "Europe/Paris".into();
    let parsed = ConferenceSettings::try_from(&f).unwrap();
    // 23:59:59 in Paris (CEST, UTC+2) is 21:59:59 UTC.
    assert_eq!(
        parsed.dates.submission_deadline.to_rfc3339(),
        "2027-09-17T21:59:59+00:00"
    );
}

#[test]
fn grace_extends_the_close_time() {
    let mut s = ConferenceSettings::dlde_defaults(now());
    s.grace_minutes = 30;
    assert_eq!(
        s.submissions_close_at() - s.dates.submission_deadline,
        Duration::minutes(30)
    );
}

#[test]
fn time_left_reads_naturally() {
    let t = now();
    assert_eq!(
        format_time_left(t, t + Duration::days(3) + Duration::hours(1)),
        "3 days, 1 hour"
    );
    assert_eq!(format_time_left(t, t + Duration::minutes(5)), "5 minutes");
}
