//! Credentials: argon2id password hashing, random single-use tokens, session tokens, and the
//! pure rules of sign-in throttling.
//!
//! Parameters follow OWASP's password storage guidance for argon2id: 19 MiB of memory,
//! 2 iterations, 1 lane. Tokens are 24 random bytes (session tokens 32), sent
//! base64url-encoded; only their SHA-256 is stored.

use std::sync::OnceLock;

use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::domain::account::Password;

fn hasher() -> anyhow::Result<Argon2<'static>> {
    let params = Params::new(19 * 1024, 2, 1, None)
        .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password into a PHC string (algorithm, parameters and salt included).
pub fn hash_password(password: &Password) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()?
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
}

/// Checks a typed password against a stored hash. A malformed hash never matches.
pub fn verify_password(typed: &str, stored_hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored_hash) else {
        return false;
    };
    match hasher() {
        Ok(h) => h.verify_password(typed.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// Spends the same time as a real check when no account matches, so response times do
/// not reveal which addresses are registered.
pub fn verify_against_dummy(typed: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| {
        Password::parse("dummy password for timing")
            .ok()
            .and_then(|p| hash_password(&p).ok())
            .unwrap_or_default()
    });
    let _ = verify_password(typed, dummy);
}

/// A fresh random token for a link, and the hash to store.
pub fn new_token() -> (String, String) {
    // 192 bits: unguessable, and short enough that links fit an email line unwrapped.
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A fresh session token (256 random bits) for the cookie, and the hash to store.
pub fn new_session_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// The stored form of a client address remembered for an account: the account is part of
/// the hash, so the table cannot be used to follow one address across accounts.
pub fn address_hash(user: &str, address: &str) -> String {
    hex::encode(Sha256::digest(format!("{user}\n{address}").as_bytes()))
}

/// How long an (account, client address) pair must wait after its latest failure, given
/// its failures within the window: nothing for the first `free` ones, then `base_secs`,
/// doubling with each further failure, never more than `cap_secs`.
pub fn signin_delay_secs(failures: u32, free: u32, base_secs: u32, cap_secs: u32) -> u32 {
    if failures < free.max(1) {
        return 0;
    }
    let doublings = (failures - free.max(1)).min(20);
    base_secs
        .max(1)
        .saturating_mul(1u32 << doublings)
        .min(cap_secs.max(1))
}

/// What the sign-in rules need to know about recent failures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SigninCounts {
    /// Failures on this account from this address.
    pub pair_failures: u32,
    /// The latest of them.
    pub pair_last: Option<chrono::DateTime<chrono::Utc>>,
    /// Failures from this address on any account.
    pub address_failures: u32,
    /// Different addresses that failed on this account.
    pub account_addresses: u32,
}

/// Whether a sign-in attempt may check its password at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigninGate {
    Open,
    /// Refused for this many more seconds.
    Wait(u32),
}

/// The sign-in throttling rules, which never let a stranger lock the owner out: delays grow
/// per (account, client address); a client address failing on many accounts is stopped; and
/// only when one account fails from `distributed_addresses` different addresses are
/// addresses it never signed in from refused until the window ends.
pub fn signin_gate(
    counts: &SigninCounts,
    known_address: bool,
    security: &crate::config::SecuritySettings,
    now: chrono::DateTime<chrono::Utc>,
) -> SigninGate {
    let window = security.throttle_window_minutes.max(1).saturating_mul(60);
    if counts.address_failures >= security.max_failed_signins_per_address {
        return SigninGate::Wait(window);
    }
    if counts.account_addresses >= security.distributed_attack_addresses.max(2) && !known_address {
        return SigninGate::Wait(window);
    }
    let delay = signin_delay_secs(
        counts.pair_failures,
        security.max_failed_signins_per_account,
        security.signin_delay_base_secs,
        window,
    );
    match counts.pair_last {
        Some(last) if delay > 0 => {
            let ready = last + chrono::Duration::seconds(i64::from(delay));
            let left = (ready - now).num_seconds();
            if left > 0 {
                SigninGate::Wait(u32::try_from(left).unwrap_or(window))
            } else {
                SigninGate::Open
            }
        }
        _ => SigninGate::Open,
    }
}

/// "Firefox on Linux": a browser and system a person recognises, from a User-Agent header.
pub fn user_agent_summary(raw: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .iter()
    .find(|(marker, _)| raw.contains(marker))
    .map(|(_, name)| *name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(marker, _)| raw.contains(marker))
    .map(|(_, name)| *name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} on {s}"),
        (Some(b), None) => b.to_string(),
        (None, Some(s)) => format!("A browser on {s}"),
        (None, None) => "An unknown browser".to_string(),
    }
}

/// Compares two secrets without an early exit.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let p = Password::parse("correct horse battery").unwrap();
        let hash = hash_password(&p).unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_stored_only_as_hashes() {
        let (t1, h1) = new_token();
        let (t2, _) = new_token();
        assert_ne!(t1, t2);
        assert_eq!(h1, token_hash(&t1));
        assert_eq!(h1.len(), 64);
        assert!(!h1.contains(&t1));
    }

    #[test]
    fn session_tokens_carry_256_bits_and_are_stored_hashed() {
        let (token, hash) = new_session_token();
        assert_eq!(URL_SAFE_NO_PAD.decode(&token).unwrap().len(), 32);
        assert_eq!(hash, token_hash(&token));
        assert_ne!(new_session_token().0, token);
    }

    #[test]
    fn sign_in_delays_start_after_the_free_attempts_and_double_up_to_the_cap() {
        let delays: Vec<u32> = (0..10).map(|n| signin_delay_secs(n, 5, 30, 900)).collect();
        assert_eq!(delays, [0, 0, 0, 0, 0, 30, 60, 120, 240, 480]);
        assert_eq!(signin_delay_secs(11, 5, 30, 900), 900);
        assert_eq!(signin_delay_secs(u32::MAX, 5, 30, 900), 900);
    }

    fn security() -> crate::config::SecuritySettings {
        crate::config::Settings::defaults().unwrap().security
    }

    fn counts(pair: u32, last_secs_ago: i64, address: u32, accounts: u32) -> SigninCounts {
        SigninCounts {
            pair_failures: pair,
            pair_last: (pair > 0).then(|| now() - chrono::Duration::seconds(last_secs_ago)),
            address_failures: address,
            account_addresses: accounts,
        }
    }

    fn now() -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    #[test]
    fn a_pair_waits_longer_after_each_failure_beyond_the_free_ones() {
        let s = security();
        assert_eq!(
            signin_gate(&counts(4, 0, 4, 1), false, &s, now()),
            SigninGate::Open
        );
        assert_eq!(
            signin_gate(&counts(5, 10, 5, 1), false, &s, now()),
            SigninGate::Wait(20)
        );
        assert_eq!(
            signin_gate(&counts(5, 30, 5, 1), false, &s, now()),
            SigninGate::Open
        );
        assert_eq!(
            signin_gate(&counts(6, 30, 6, 1), false, &s, now()),
            SigninGate::Wait(30)
        );
    }

    #[test]
    fn many_addresses_failing_on_one_account_stop_only_unknown_addresses() {
        let s = security();
        // The owner's own address has no failures of its own and is known.
        let owner = counts(0, 0, 0, 12);
        assert_eq!(signin_gate(&owner, true, &s, now()), SigninGate::Open);
        assert_eq!(signin_gate(&owner, false, &s, now()), SigninGate::Wait(900));
        // Below the threshold, a new address is not held back by others' failures.
        assert_eq!(
            signin_gate(&counts(0, 0, 0, 9), false, &s, now()),
            SigninGate::Open
        );
    }

    #[test]
    fn an_address_failing_on_many_accounts_is_stopped() {
        let s = security();
        assert_eq!(
            signin_gate(&counts(0, 0, 30, 1), true, &s, now()),
            SigninGate::Wait(900)
        );
    }

    #[test]
    fn user_agents_are_summarised() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!(user_agent_summary(firefox), "Firefox on Linux");
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
        assert_eq!(user_agent_summary(chrome), "Chrome on Windows");
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        assert_eq!(user_agent_summary(safari), "Safari on iOS");
        assert_eq!(user_agent_summary(""), "An unknown browser");
    }

    #[test]
    fn address_hashes_depend_on_the_account() {
        assert_ne!(address_hash("a", "10.0.0.1"), address_hash("b", "10.0.0.1"));
        assert_eq!(address_hash("a", "10.0.0.1").len(), 64);
    }

    #[test]
    fn constant_time_eq_compares_content() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
