//! `/admin/leads/:id`: a lead's profile, its timeline (log an activity) and how it moved through
//! the pipeline; "Edit" opens the lead form. (Reminders and conversion: the lead-record issue.)

use crate::components::feedback::error_message;
use crate::functions::{read_lead, CloseLead, EraseLead, MoveCard};
use crate::i18n::{fill, Locale};
use crate::models::{CustomValue, LeadDetail, StageStay};
use crate::use_locale;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LeadRecordPage() -> impl IntoView {
    let t = use_locale().t();
    let id = crate::routes::use_id_param();
    // A lead closed or reopened is read again (labels, actions, timeline); a refused attempt
    // is not, so the dialog stays open with its field errors.
    let close = ServerAction::<CloseLead>::new();
    let moving = ServerAction::<MoveCard>::new();
    let erase = ServerAction::<EraseLead>::new();
    let closed = RwSignal::new(0_u32);
    Effect::new(move |_| {
        if let Some(Ok(())) = erase.value().get() {
            closed.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = close.value().get() {
            closed.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = moving.value().get() {
            closed.update(|n| *n += 1);
        }
    });
    let detail = Resource::new(move || (id(), closed.get()), |(id, _)| read_lead(id));
    view! {
        <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <LeadProfile detail close moving erase /> }.into_any(),
                    Err(error) => view! {
                        <Title text=t.leads />
                        <p class="alert alert-error" role="alert">{error_message(&error)}</p>
                        <a class="btn btn-secondary" href="/admin/leads">{t.back_to_leads}</a>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn LeadProfile(
    detail: LeadDetail,
    close: ServerAction<CloseLead>,
    moving: ServerAction<MoveCard>,
    erase: ServerAction<EraseLead>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let lead = detail.lead;
    let status = if lead.lost {
        Some(t.lost)
    } else if lead.junk {
        Some(t.junk)
    } else {
        None
    };
    let money = lead.lead_value.map(|v| locale.money(v));
    let date = |at: Option<i64>| at.map(|at| locale.date_time(at));
    let rows: Vec<(&'static str, Option<String>)> = vec![
        (locale.field_label("company"), lead.company.clone()),
        (locale.field_label("title"), lead.title.clone()),
        (locale.field_label("email"), lead.email.clone()),
        (locale.field_label("phonenumber"), lead.phonenumber.clone()),
        (locale.field_label("website"), lead.website.clone()),
        (locale.field_label("lead_value"), money),
        (t.pipeline, Some(detail.pipeline_name.clone())),
        (locale.field_label("source"), detail.source_name.clone()),
        (locale.field_label("assigned"), detail.assigned_name.clone()),
        (
            locale.field_label("next_action"),
            lead.next_action
                .clone()
                .map(|a| match date(lead.next_action_at) {
                    Some(due) => format!("{a} · {due}"),
                    None => a,
                }),
        ),
        (t.last_contact, date(lead.lastcontact)),
        (t.created, date(Some(lead.dateadded))),
        (t.lost_reason, detail.lost_reason.clone()),
        (locale.field_label("address"), address(&lead)),
        (locale.field_label("description"), lead.description.clone()),
    ];
    view! {
        <Title text=lead.name.clone() />
        <header class="page-header">
            <a class="btn btn-ghost" href="/admin/leads">{format!("← {}", t.back_to_leads)}</a>
            <h1>{lead.name.clone()}</h1>
            <span class="stage-badge" style=format!("--stage: {}", detail.stage_color)>{detail.stage_name.clone()}</span>
            {status.map(|s| view! { <span class="tag tag-muted">{s}</span> })}
            {lead.client_id.filter(|_| lead.date_converted.is_some()).map(|client| view! {
                <span class="tag tag-ok">{t.converted}</span>
                <a class="btn btn-ghost" href=format!("/admin/clients/{client}")>{t.open_client}</a>
            })}
            <a class="btn btn-secondary" href=format!("/admin/leads/{}/edit", lead.id)>{t.edit}</a>
            {(lead.date_converted.is_none() && !lead.lost && !lead.junk).then(|| view! {
                <super::convert::ConvertAction lead=lead.id />
            })}
            <super::closing::CloseActions lead=lead.clone() close />
        </header>
        {(!lead.lost && !lead.junk).then(|| view! {
            <super::progress::StageBar lead=lead.id version=lead.version current=lead.stage_id
                stages=detail.stages.clone() moving />
        })}
        <div class="record-grid">
            <div class="record-main">
                <super::timeline::Timeline lead=lead.id />
            </div>
            <RecordSide lead=lead.id name=lead.name.clone() rows custom=detail.custom stays=detail.stays erase locale />
        </div>
    }
    .into_any()
}

/// The profile (label, value when set) and the stage history, beside the timeline.
#[component]
fn RecordSide(
    lead: i64,
    name: String,
    rows: Vec<(&'static str, Option<String>)>,
    custom: Vec<CustomValue>,
    stays: Vec<StageStay>,
    erase: ServerAction<EraseLead>,
    locale: Locale,
) -> impl IntoView {
    let t = locale.t();
    view! {
        <div class="record-side">
            <super::reminders::Reminders lead />
            <super::attachments::AttachmentsCard lead />
            <section class="card">
                <div class="card-header"><h2>{t.profile}</h2></div>
                <dl class="profile">
                    {rows.into_iter().filter_map(|(label, value)| value.map(|value| view! {
                        <div class="profile-row"><dt>{label}</dt><dd>{value}</dd></div>
                    })).collect_view()}
                    {custom.into_iter().map(|value| view! {
                        <div class="profile-row">
                            <dt>{value.field.label.clone()}</dt>
                            <dd>{value.field.show(&value.value, locale)}</dd>
                        </div>
                    }).collect_view()}
                </dl>
            </section>
            <section class="card">
                <div class="card-header"><h2>{t.stage_history}</h2></div>
                <ol class="stays">
                    {stays.into_iter().map(|stay| view! { <StayRow stay locale /> }).collect_view()}
                </ol>
            </section>
            <super::privacy::PrivacyCard lead name erase />
        </div>
    }
    .into_any()
}

fn address(lead: &crate::models::Lead) -> Option<String> {
    let parts: Vec<&str> = [
        &lead.address,
        &lead.city,
        &lead.state,
        &lead.zip,
        &lead.country,
    ]
    .into_iter()
    .filter_map(|p| p.as_deref())
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

#[component]
fn StayRow(stay: StageStay, locale: Locale) -> impl IntoView {
    let t = locale.t();
    let days = stay
        .left_at
        .map(|left| (left - stay.entered_at) / 86_400_000);
    view! {
        <li class="stay" style=format!("--stage: {}", stay.stage_color)>
            <span class="stage-dot" aria-hidden="true"></span>
            <div>
                <span class="strong">{stay.stage_name}</span>
                <span class="sub">
                    {locale.date_time(stay.entered_at)}
                    {stay.by_name.map(|by| format!(" · {by}"))}
                    {format!(" · {}", stay.via)}
                    {days.map(|d| format!(" · {}", fill(t.days_in_stage, &[("n", &d)])))}
                </span>
            </div>
        </li>
    }
}
