//! Tests of the referral lifecycle (つなぎの流れ): proposing, each transition and who may take it,
//! dates, blank texts, JSON round trips, replaying history; shared fixtures (`d`, `directory`,
//! `proposal`) for the queue and contact tests.

use super::*;
use crate::agency::Agency;
use crate::coded::Coded;
use crate::taxonomy::Taxonomies;

pub(crate) fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, m, day).unwrap()
}

pub(crate) fn agency(id: &str, kind: &str, projects: &[&str]) -> Agency {
    Agency {
        id: id.into(),
        name: format!("Agency {id}"),
        kind: kind.into(),
        projects: projects.iter().map(|p| (*p).into()).collect(),
        areas: vec![],
        serves: Default::default(),
    }
}

pub(crate) fn directory() -> Directory {
    Directory::new(
        vec![
            agency("csw", "social_welfare_council", &[]),
            agency("hokatsu_a", "community_general_support_center", &[]),
            agency("hokatsu_b", "community_general_support_center", &[]),
            agency("jiritsu", "self_reliance_support_office", &[]),
            agency("takikan", "multi_agency_coordinator", &[]),
            agency("npo", "npo", &[]),
        ],
        &Taxonomies::builtin(),
    )
    .unwrap()
}

pub(crate) fn proposal(id: &str, to: &str, on: NaiveDate) -> ReferralProposal {
    ReferralProposal {
        id: id.into(),
        case: "case1".into(),
        household: "hh1".into(),
        from: "csw".into(),
        to: to.into(),
        purpose: "care assessment for the mother".into(),
        transfers_responsibility: false,
        on,
    }
}

fn proposed() -> Referral {
    Referral::propose(proposal("r1", "hokatsu_a", d(4, 1)), &directory()).unwrap()
}

fn sender() -> AgencyId {
    "csw".into()
}
fn receiver() -> AgencyId {
    "hokatsu_a".into()
}

fn send(on: NaiveDate) -> ReferralCommand {
    ReferralCommand::Send {
        on,
        follow_up_on: None,
    }
}

fn decline(on: NaiveDate) -> ReferralCommand {
    ReferralCommand::Decline {
        on,
        reason: DeclineReason {
            code: DeclineReasonCode::NoCapacity,
            note: None,
        },
    }
}

/// Apply and expect an error code; assert the referral is byte-identical afterwards.
fn rejects(
    r: &mut Referral,
    cmd: ReferralCommand,
    actor: &AgencyId,
    today: NaiveDate,
) -> &'static str {
    let before = serde_json::to_string(&*r).unwrap();
    let err = r.apply(cmd, actor, today).unwrap_err();
    assert_eq!(
        serde_json::to_string(&*r).unwrap(),
        before,
        "rejected command changed the referral"
    );
    err.code()
}

#[test]
fn propose_checks_agencies_self_referral_and_purpose() {
    let dir = directory();
    let r = proposed();
    assert_eq!(r.status(), ReferralStatus::Proposed);
    assert!(r.history.is_empty());
    assert_eq!(r.last_step_on(), d(4, 1));

    let mut p = proposal("r2", "csw", d(4, 1));
    let e = Referral::propose(p.clone(), &dir).unwrap_err();
    assert_eq!(e.code(), "self_referral");
    assert_eq!(e.path().as_deref(), Some("$.to"));

    p.to = "nowhere".into();
    let e = Referral::propose(p.clone(), &dir).unwrap_err();
    assert_eq!(e.code(), "unknown_agency");
    assert_eq!(e.path().as_deref(), Some("$.to"));

    p.to = "npo".into();
    p.purpose = "  ".into();
    let e = Referral::propose(p, &dir).unwrap_err();
    assert_eq!(e.code(), "empty_text");
    assert_eq!(e.path().as_deref(), Some("$.purpose"));
}

#[test]
fn happy_path_send_accept_complete() {
    let mut r = proposed();
    let t = r
        .apply(
            ReferralCommand::Send {
                on: d(4, 2),
                follow_up_on: Some(d(4, 9)),
            },
            &sender(),
            d(4, 2),
        )
        .unwrap();
    assert_eq!(
        (t.from_state, t.to_state),
        (ReferralStatus::Proposed, ReferralStatus::Sent)
    );
    assert_eq!(r.sent_on, Some(d(4, 2)));
    assert_eq!(r.follow_up_on, Some(d(4, 9)));

    let t = r
        .apply(
            ReferralCommand::Accept { on: d(4, 5) },
            &receiver(),
            d(4, 6),
        )
        .unwrap();
    assert_eq!(t.to_state, ReferralStatus::Accepted);
    assert_eq!(t.by, receiver());
    assert_eq!(r.result_on, None);

    r.apply(
        ReferralCommand::Complete {
            on: d(5, 1),
            result: "care certification applied".into(),
        },
        &receiver(),
        d(5, 1),
    )
    .unwrap();
    assert_eq!(r.status(), ReferralStatus::Completed);
    assert_eq!(r.result_on, Some(d(5, 1)));
    let actions: Vec<_> = r.history.iter().map(|t| t.action).collect();
    assert_eq!(
        actions,
        [
            ReferralAction::Send,
            ReferralAction::Accept,
            ReferralAction::Complete
        ]
    );
    // Completed is final: nothing more, not even revoke.
    assert_eq!(
        rejects(
            &mut r,
            ReferralCommand::Revoke {
                on: d(5, 2),
                reason: "x".into()
            },
            &sender(),
            d(5, 2)
        ),
        "illegal_referral_transition"
    );
}

#[test]
fn decline_records_reason_and_is_final() {
    let mut r = proposed();
    r.apply(send(d(4, 2)), &sender(), d(4, 2)).unwrap();
    let t = r.apply(decline(d(4, 3)), &receiver(), d(4, 3)).unwrap();
    assert_eq!(t.to_state, ReferralStatus::Declined);
    assert_eq!(
        r.decline_reason().unwrap().code,
        DeclineReasonCode::NoCapacity
    );
    assert_eq!(r.result_on, Some(d(4, 3)));
    assert!(!r.is_open());
    assert_eq!(
        rejects(
            &mut r,
            ReferralCommand::Accept { on: d(4, 4) },
            &receiver(),
            d(4, 4)
        ),
        "illegal_referral_transition"
    );
    assert_eq!(
        rejects(
            &mut r,
            ReferralCommand::Revoke {
                on: d(4, 4),
                reason: "x".into()
            },
            &sender(),
            d(4, 4)
        ),
        "illegal_referral_transition"
    );
}

#[test]
fn revoke_from_each_open_state() {
    for steps in 0..3 {
        let mut r = proposed();
        if steps >= 1 {
            r.apply(send(d(4, 2)), &sender(), d(4, 2)).unwrap();
        }
        if steps >= 2 {
            r.apply(
                ReferralCommand::Accept { on: d(4, 3) },
                &receiver(),
                d(4, 3),
            )
            .unwrap();
        }
        let from = r.status();
        let t = r
            .apply(
                ReferralCommand::Revoke {
                    on: d(4, 4),
                    reason: "person withdrew consent".into(),
                },
                &sender(),
                d(4, 4),
            )
            .unwrap();
        assert_eq!((t.from_state, t.to_state), (from, ReferralStatus::Revoked));
        assert_eq!(r.result_on, Some(d(4, 4)));
        // Revoked is final.
        assert_eq!(
            rejects(&mut r, send(d(4, 5)), &sender(), d(4, 5)),
            "illegal_referral_transition"
        );
    }
}

#[test]
fn illegal_transitions_name_state_and_action() {
    let mut r = proposed();
    let e = r
        .apply(
            ReferralCommand::Accept { on: d(4, 2) },
            &receiver(),
            d(4, 2),
        )
        .unwrap_err();
    assert_eq!(e.code(), "illegal_referral_transition");
    let msg = e.to_string();
    assert!(
        msg.contains("proposed") && msg.contains("accept") && msg.contains("r1"),
        "{msg}"
    );
    assert_eq!(
        rejects(
            &mut r,
            ReferralCommand::Complete {
                on: d(4, 2),
                result: "x".into()
            },
            &receiver(),
            d(4, 2)
        ),
        "illegal_referral_transition"
    );
    assert_eq!(
        rejects(&mut r, decline(d(4, 2)), &receiver(), d(4, 2)),
        "illegal_referral_transition"
    );
    r.apply(send(d(4, 2)), &sender(), d(4, 2)).unwrap();
    assert_eq!(
        rejects(&mut r, send(d(4, 3)), &sender(), d(4, 3)),
        "illegal_referral_transition"
    );
    assert_eq!(
        rejects(
            &mut r,
            ReferralCommand::Complete {
                on: d(4, 3),
                result: "x".into()
            },
            &receiver(),
            d(4, 3)
        ),
        "illegal_referral_transition"
    );
}

#[test]
fn wrong_actor_is_not_authorised() {
    let stranger: AgencyId = "npo".into();
    let mut r = proposed();
    // Receiver may not send; stranger may not either.
    for actor in [receiver(), stranger.clone()] {
        assert_eq!(
            rejects(&mut r, send(d(4, 2)), &actor, d(4, 2)),
            "not_authorised"
        );
        assert_eq!(
            rejects(
                &mut r,
                ReferralCommand::SetFollowUp { on: d(4, 9) },
                &actor,
                d(4, 2)
            ),
            "not_authorised"
        );
    }
    r.apply(send(d(4, 2)), &sender(), d(4, 2)).unwrap();
    // Sender may not accept/decline; stranger neither.
    for actor in [sender(), stranger.clone()] {
        assert_eq!(
            rejects(
                &mut r,
                ReferralCommand::Accept { on: d(4, 3) },
                &actor,
                d(4, 3)
            ),
            "not_authorised"
        );
        assert_eq!(
            rejects(&mut r, decline(d(4, 3)), &actor, d(4, 3)),
            "not_authorised"
        );
    }
    // Receiver may not revoke.
    for actor in [receiver(), stranger.clone()] {
        assert_eq!(
            rejects(
                &mut r,
                ReferralCommand::Revoke {
                    on: d(4, 3),
                    reason: "x".into()
                },
                &actor,
                d(4, 3)
            ),
            "not_authorised"
        );
    }
    r.apply(
        ReferralCommand::Accept { on: d(4, 3) },
        &receiver(),
        d(4, 3),
    )
    .unwrap();
    for actor in [sender(), stranger.clone()] {
        let e = r
            .clone()
            .apply(
                ReferralCommand::Complete {
                    on: d(4, 4),
                    result: "x".into(),
                },
                &actor,
                d(4, 4),
            )
            .unwrap_err();
        assert_eq!(e.code(), "not_authorised");
        let msg = e.to_string();
        assert!(
            msg.contains(actor.as_str()) && msg.contains("complete"),
            "{msg}"
        );
    }
}

#[test]
fn dates_are_checked() {
    let mut r = proposed();
    // Before the proposal.
    assert_eq!(
        rejects(&mut r, send(d(3, 31)), &sender(), d(4, 2)),
        "date_before_last_transition"
    );
    // In the future.
    assert_eq!(
        rejects(&mut r, send(d(4, 3)), &sender(), d(4, 2)),
        "future_date"
    );
    // Follow-up before sending.
    assert_eq!(
        rejects(
            &mut r,
            ReferralCommand::Send {
                on: d(4, 2),
                follow_up_on: Some(d(4, 1))
            },
            &sender(),
            d(4, 2)
        ),
        "invalid_follow_up"
    );
    r.apply(send(d(4, 5)), &sender(), d(4, 5)).unwrap();
    assert_eq!(
        rejects(
            &mut r,
            ReferralCommand::Accept { on: d(4, 4) },
            &receiver(),
            d(4, 10)
        ),
        "date_before_last_transition"
    );
    // Set follow-up is recorded on today, and the new date may not be before it.
    assert_eq!(
        rejects(
            &mut r,
            ReferralCommand::SetFollowUp { on: d(4, 9) },
            &sender(),
            d(4, 10)
        ),
        "invalid_follow_up"
    );
    assert_eq!(
        rejects(
            &mut r,
            ReferralCommand::SetFollowUp { on: d(4, 20) },
            &sender(),
            d(4, 4)
        ),
        "date_before_last_transition"
    );
    let t = r
        .apply(
            ReferralCommand::SetFollowUp { on: d(4, 20) },
            &sender(),
            d(4, 10),
        )
        .unwrap();
    assert_eq!(t.on, d(4, 10));
    assert_eq!(
        (t.from_state, t.to_state),
        (ReferralStatus::Sent, ReferralStatus::Sent)
    );
    assert_eq!(r.follow_up_on, Some(d(4, 20)));
    // Same-day steps are fine.
    r.apply(
        ReferralCommand::Accept { on: d(4, 10) },
        &receiver(),
        d(4, 10),
    )
    .unwrap();
}

#[test]
fn blank_texts_are_rejected() {
    let mut r = proposed();
    assert_eq!(
        rejects(
            &mut r,
            ReferralCommand::Revoke {
                on: d(4, 2),
                reason: " ".into()
            },
            &sender(),
            d(4, 2)
        ),
        "empty_text"
    );
    r.apply(send(d(4, 2)), &sender(), d(4, 2)).unwrap();
    r.apply(
        ReferralCommand::Accept { on: d(4, 2) },
        &receiver(),
        d(4, 2),
    )
    .unwrap();
    let e = r
        .clone()
        .apply(
            ReferralCommand::Complete {
                on: d(4, 3),
                result: "".into(),
            },
            &receiver(),
            d(4, 3),
        )
        .unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_deref()),
        ("empty_text", Some("$.result"))
    );
}

#[test]
fn commands_and_referrals_round_trip_through_json() {
    let cmd: ReferralCommand = serde_json::from_str(
        r#"{"action":"decline","on":"2024-04-03","reason":{"code":"out_of_scope","note":"n"}}"#,
    )
    .unwrap();
    assert_eq!(cmd.action(), ReferralAction::Decline);
    let cmd: ReferralCommand =
        serde_json::from_str(r#"{"action":"set_follow_up","on":"2024-04-03"}"#).unwrap();
    assert_eq!(cmd, ReferralCommand::SetFollowUp { on: d(4, 3) });
    assert!(serde_json::from_str::<ReferralCommand>(
        r#"{"action":"accept","on":"2024-04-03","x":1}"#
    )
    .is_err());
    assert!(
        serde_json::from_str::<ReferralCommand>(r#"{"action":"reopen","on":"2024-04-03"}"#)
            .is_err()
    );

    let mut r = proposed();
    r.apply(send(d(4, 2)), &sender(), d(4, 2)).unwrap();
    r.apply(decline(d(4, 3)), &receiver(), d(4, 3)).unwrap();
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["state"]["status"], "declined");
    assert_eq!(json["state"]["reason"]["code"], "no_capacity");
    assert_eq!(json["history"][1]["action"], "decline");
    let back: Referral = serde_json::from_value(json).unwrap();
    assert_eq!(back, r);
}

#[test]
fn validate_replays_history() {
    let dir = directory();
    let mut r = proposed();
    r.validate(&dir).unwrap();
    r.apply(send(d(4, 2)), &sender(), d(4, 2)).unwrap();
    r.apply(decline(d(4, 3)), &receiver(), d(4, 3)).unwrap();
    r.validate(&dir).unwrap();

    let mut x = r.clone();
    x.state = ReferralState::Accepted;
    let e = x.validate(&dir).unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_deref()),
        ("inconsistent_referral", Some("$.state"))
    );
    let mut x = r.clone();
    x.history[1].by = sender();
    let e = x.validate(&dir).unwrap_err();
    assert_eq!(e.path().as_deref(), Some("$.history[1]"));
    let mut x = r.clone();
    x.history[1].on = d(4, 1);
    assert_eq!(
        x.validate(&dir).unwrap_err().path().as_deref(),
        Some("$.history[1]")
    );
    let mut x = r.clone();
    x.history.remove(0);
    assert_eq!(
        x.validate(&dir).unwrap_err().path().as_deref(),
        Some("$.history[0]")
    );
    let mut x = r.clone();
    x.result_on = None;
    assert_eq!(
        x.validate(&dir).unwrap_err().path().as_deref(),
        Some("$.result_on")
    );
    let mut x = r.clone();
    x.sent_on = Some(d(4, 1));
    assert_eq!(
        x.validate(&dir).unwrap_err().path().as_deref(),
        Some("$.sent_on")
    );
    let mut x = r;
    x.to = "nowhere".into();
    assert_eq!(x.validate(&dir).unwrap_err().code(), "unknown_agency");
}

#[test]
fn state_machine_table_is_closed() {
    use ReferralStatus as S;
    let all = [
        S::Proposed,
        S::Sent,
        S::Accepted,
        S::Declined,
        S::Completed,
        S::Revoked,
    ];
    let actions = [
        ReferralAction::Send,
        ReferralAction::Accept,
        ReferralAction::Decline,
        ReferralAction::Complete,
        ReferralAction::Revoke,
        ReferralAction::SetFollowUp,
    ];
    for s in all {
        let legal = actions.iter().filter(|a| a.next(s).is_some()).count();
        assert_eq!(legal == 0, s.is_final(), "{s:?}");
    }
}
