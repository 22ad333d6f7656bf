//! Table definitions for diesel, matching `migrations/` (one schema for both backends).

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        name -> Text,
        affiliation -> Text,
        password_hash -> Text,
        email_confirmed_at -> Nullable<Timestamp>,
        is_chair -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    email_tokens (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        purpose -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    login_failures (id) {
        id -> Text,
        throttle_key -> Text,
        failed_at -> Timestamp,
        account -> Nullable<Text>,
        address -> Nullable<Text>,
    }
}

diesel::table! {
    conference (id) {
        id -> Integer,
        settings -> Text,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> Text,
        dedupe_key -> Text,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        claimed_by -> Nullable<Text>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        action -> Text,
        subject -> Text,
        details -> Text,
    }
}

diesel::joinable!(email_tokens -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(users, email_tokens);

diesel::table! {
    submissions (id) {
        id -> Text,
        number -> Integer,
        track -> Text,
        title -> Text,
        abstract_text -> Text,
        keywords -> Text,
        declared_conflicts -> Text,
        status -> Text,
        version -> Integer,
        unlocked_until -> Nullable<Timestamp>,
        creation_key -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    submission_listing (submission_id) {
        submission_id -> Text,
        title_key -> Text,
        paper_pages -> Nullable<Integer>,
        paper_verdict -> Nullable<Text>,
        paper_flags -> Text,
        paper_flag_count -> Integer,
    }
}

diesel::joinable!(submission_listing -> submissions (submission_id));
diesel::allow_tables_to_appear_in_same_query!(submissions, submission_listing);

diesel::table! {
    submission_authors (submission_id, position) {
        submission_id -> Text,
        position -> Integer,
        name -> Text,
        email -> Text,
        affiliation -> Text,
        is_main -> Bool,
    }
}

diesel::table! {
    documents (id) {
        id -> Text,
        submission_id -> Text,
        kind -> Text,
        sha256 -> Text,
        size_bytes -> BigInt,
        pages -> Nullable<Integer>,
        format_verdict -> Nullable<Text>,
        format_report -> Nullable<Text>,
        uploaded_at -> Timestamp,
        uploaded_by -> Text,
    }
}

diesel::joinable!(submission_authors -> submissions (submission_id));
diesel::joinable!(documents -> submissions (submission_id));
diesel::allow_tables_to_appear_in_same_query!(submissions, submission_authors, documents);

diesel::table! {
    reviewer_profiles (email) {
        email -> Text,
        name -> Text,
        affiliation -> Text,
        volunteer -> Bool,
        active -> Bool,
        keywords -> Text,
        declared_conflicts -> Text,
        min_load -> Nullable<Integer>,
        max_load -> Nullable<Integer>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    bids (submission_id, reviewer_email) {
        submission_id -> Text,
        reviewer_email -> Text,
        bid -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    entered_conflicts (submission_id, reviewer_email) {
        submission_id -> Text,
        reviewer_email -> Text,
        source -> Text,
        reason -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    assignments (submission_id, reviewer_email) {
        submission_id -> Text,
        reviewer_email -> Text,
        assigned_at -> Timestamp,
        assigned_by -> Text,
    }
}

diesel::table! {
    assignment_runs (id) {
        id -> Text,
        state -> Text,
        params -> Text,
        pairs -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        committed_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(assignments -> submissions (submission_id));
diesel::joinable!(bids -> submissions (submission_id));
diesel::allow_tables_to_appear_in_same_query!(assignments, submissions, bids);

diesel::table! {
    reviews (id) {
        id -> Text,
        submission_id -> Text,
        reviewer_email -> Text,
        form_kind -> Text,
        state -> Text,
        content -> Text,
        version -> Integer,
        submitted_at -> Nullable<Timestamp>,
        late -> Bool,
        reopened_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        overall -> Nullable<Integer>,
        confidence -> Nullable<Integer>,
        talk_recommendation -> Bool,
        scores_stored -> Bool,
    }
}

diesel::table! {
    review_revisions (id) {
        id -> Text,
        review_id -> Text,
        version -> Integer,
        content -> Text,
        submitted_at -> Timestamp,
    }
}

diesel::joinable!(review_revisions -> reviews (review_id));
diesel::allow_tables_to_appear_in_same_query!(reviews, review_revisions);

diesel::table! {
    decisions (submission_id) {
        submission_id -> Text,
        decision -> Text,
        decided_by -> Text,
        decided_at -> Timestamp,
        released_decision -> Nullable<Text>,
        released_at -> Nullable<Timestamp>,
        letter_round -> Integer,
    }
}

diesel::table! {
    decision_release (id) {
        id -> Integer,
        released_at -> Timestamp,
        released_by -> Text,
    }
}

diesel::table! {
    letter_templates (kind) {
        kind -> Text,
        subject -> Text,
        body -> Text,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    camera_ready (submission_id) {
        submission_id -> Text,
        presenter_position -> Integer,
        ticket_position -> Nullable<Integer>,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    program (id) {
        id -> Integer,
        data -> Text,
        version -> Integer,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(decisions -> submissions (submission_id));
diesel::allow_tables_to_appear_in_same_query!(decisions, submissions);

diesel::table! {
    sessions (id) {
        id -> Text,
        token_hash -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        user_agent -> Text,
    }
}

diesel::table! {
    signin_addresses (user_id, address_hash) {
        user_id -> Text,
        address_hash -> Text,
        last_at -> Timestamp,
    }
}

diesel::table! {
    rate_events (id) {
        id -> Text,
        bucket -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    reviewer_copies (source_sha256) {
        source_sha256 -> Text,
        copy_sha256 -> Nullable<Text>,
        removed -> Text,
        error -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(sessions, users);

// The chairs' list of committed assignments filters by review state (db::assignment_list).
diesel::allow_tables_to_appear_in_same_query!(assignments, reviews);
diesel::allow_tables_to_appear_in_same_query!(submissions, reviews);

diesel::table! {
    email_changes (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        new_email -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    discussion_comments (id) {
        id -> Text,
        submission_id -> Text,
        writer_email -> Text,
        writer_role -> Text,
        audience -> Text,
        body -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    discussion_comment_edits (id) {
        id -> Text,
        comment_id -> Text,
        version -> Integer,
        body -> Text,
        replaced_at -> Timestamp,
    }
}

diesel::table! {
    author_responses (id) {
        id -> Text,
        submission_id -> Text,
        state -> Text,
        body -> Text,
        version -> Integer,
        submitted_at -> Nullable<Timestamp>,
        updated_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    author_response_revisions (id) {
        id -> Text,
        response_id -> Text,
        version -> Integer,
        body -> Text,
        submitted_at -> Timestamp,
    }
}

diesel::table! {
    response_acknowledgements (submission_id, reviewer_email) {
        submission_id -> Text,
        reviewer_email -> Text,
        acknowledged_at -> Timestamp,
    }
}

diesel::table! {
    meta_reviews (submission_id) {
        submission_id -> Text,
        summary -> Text,
        recommendation -> Text,
        version -> Integer,
        written_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    discussion_digests (email) {
        email -> Text,
        last_sent_at -> Nullable<Timestamp>,
        seen_until -> Timestamp,
        unsubscribed -> Bool,
        unsubscribe_token -> Text,
    }
}

diesel::table! {
    area_chairs (submission_id, email) {
        submission_id -> Text,
        email -> Text,
        assigned_at -> Timestamp,
        assigned_by -> Text,
    }
}
diesel::allow_tables_to_appear_in_same_query!(sessions, conference);
diesel::allow_tables_to_appear_in_same_query!(users, conference);
diesel::allow_tables_to_appear_in_same_query!(sessions, decision_release);
diesel::allow_tables_to_appear_in_same_query!(users, decision_release);
diesel::allow_tables_to_appear_in_same_query!(conference, decision_release);

diesel::table! {
    data_versions (name) {
        name -> Text,
        version -> BigInt,
    }
}

diesel::table! {
    paper_versions (submission_id) {
        submission_id -> Text,
        version -> BigInt,
    }
}
// The session's query also reads the version of the paper a request's path names.
diesel::allow_tables_to_appear_in_same_query!(sessions, submissions);
diesel::allow_tables_to_appear_in_same_query!(users, submissions);
diesel::allow_tables_to_appear_in_same_query!(conference, submissions);
diesel::allow_tables_to_appear_in_same_query!(decision_release, submissions);
diesel::allow_tables_to_appear_in_same_query!(sessions, paper_versions);
diesel::allow_tables_to_appear_in_same_query!(users, paper_versions);
diesel::allow_tables_to_appear_in_same_query!(conference, paper_versions);
diesel::allow_tables_to_appear_in_same_query!(decision_release, paper_versions);
diesel::allow_tables_to_appear_in_same_query!(submissions, paper_versions);

diesel::table! {
    person_versions (email) {
        email -> Text,
        version -> BigInt,
    }
}
// The session's query also reads the signed-in person's version.
diesel::allow_tables_to_appear_in_same_query!(sessions, person_versions);
diesel::allow_tables_to_appear_in_same_query!(users, person_versions);
diesel::allow_tables_to_appear_in_same_query!(conference, person_versions);
diesel::allow_tables_to_appear_in_same_query!(decision_release, person_versions);
diesel::allow_tables_to_appear_in_same_query!(submissions, person_versions);
diesel::allow_tables_to_appear_in_same_query!(paper_versions, person_versions);
