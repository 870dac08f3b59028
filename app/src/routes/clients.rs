//! Clients and opportunities made by converting leads: lists and detail pages. The lead's
//! timeline and reminders stay visible from both.

use crate::components::feedback::error_message;
use crate::functions::{list_clients, list_opportunities, read_client, read_opportunity};
use crate::i18n::Locale;
use crate::models::{ClientDetail, ClientRow, Opportunity};
use crate::routes::leads::{reminders::Reminders, timeline::Timeline};
use crate::use_locale;
use leptos::prelude::*;
use leptos_meta::Title;

fn stage_label(locale: Locale, stage: &str) -> &'static str {
    let t = locale.t();
    match stage {
        "proposal" => t.deal_proposal,
        "negotiation" => t.deal_negotiation,
        "won" => t.deal_won,
        "lost" => t.lost,
        _ => t.deal_qualification,
    }
}

#[component]
pub fn ClientsPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let rows = Resource::new(|| (), |_| list_clients());
    view! {
        <Title text=t.clients />
        <header class="page-header"><h1>{t.clients}</h1></header>
        <section class="card">
            <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(rows) if rows.is_empty() => view! { <p class="empty">{t.no_clients}</p> }.into_any(),
                        Ok(rows) => view! { <ClientTable rows locale /> }.into_any(),
                        Err(error) => view! { <p class="alert alert-error">{error_message(&error)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ClientTable(rows: Vec<ClientRow>, locale: Locale) -> impl IntoView {
    let t = locale.t();
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead><tr>
                    <th scope="col">{t.company}</th>
                    <th scope="col">{t.primary_contact}</th>
                    <th scope="col" class="hide-sm">{t.email}</th>
                    <th scope="col" class="num">{t.opportunities}</th>
                    <th scope="col" class="hide-xs">{t.created}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| view! {
                        <tr>
                            <td><a class="strong" href=format!("/admin/clients/{}", row.id)>{row.company}</a></td>
                            <td>{row.contact_name}</td>
                            <td class="hide-sm">{row.contact_email}</td>
                            <td class="num">{row.opportunities}</td>
                            <td class="hide-xs">{locale.date(row.created_at)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn ClientPage() -> impl IntoView {
    let t = use_locale().t();
    let id = crate::routes::use_id_param();
    let client = Resource::new(id, read_client);
    view! {
        <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match client.await {
                    Ok(client) => view! { <ClientView client /> }.into_any(),
                    Err(error) => view! {
                        <Title text=t.clients />
                        <p class="alert alert-error" role="alert">{error_message(&error)}</p>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ClientView(client: ClientDetail) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let profile: Vec<(&'static str, Option<String>)> = vec![
        (
            locale.field_label("phonenumber"),
            client.phonenumber.clone(),
        ),
        (locale.field_label("website"), client.website.clone()),
        (locale.field_label("address"), client.address.clone()),
        (t.created, Some(locale.date(client.created_at))),
    ];
    let leads = client.leads.clone();
    view! {
        <Title text=client.company.clone() />
        <header class="page-header">
            <a class="btn btn-ghost" href="/admin/clients">{format!("← {}", t.clients)}</a>
            <h1>{client.company.clone()}</h1>
            <span class="tag tag-ok">{t.client}</span>
        </header>
        <div class="detail-grid">
            <div class="record-main">
                <section class="card">
                    <div class="card-header"><h2>{t.opportunities}</h2></div>
                    <OpportunityTable rows=client.opportunities.clone() locale with_client=false />
                </section>
                {leads.iter().map(|(lead, _)| view! { <Timeline lead=*lead /> }).collect_view()}
            </div>
            <div class="record-side">
                <section class="card">
                    <div class="card-header"><h2>{t.profile}</h2></div>
                    <dl class="profile">
                        {profile.into_iter().filter_map(|(label, value)| value.map(|value| view! {
                            <div class="profile-row"><dt>{label}</dt><dd>{value}</dd></div>
                        })).collect_view()}
                        {leads.iter().map(|(lead, name)| view! {
                            <div class="profile-row"><dt>{t.converted_from}</dt>
                                <dd><a href=format!("/admin/leads/{lead}")>{name.clone()}</a></dd></div>
                        }).collect_view()}
                    </dl>
                </section>
                <section class="card">
                    <div class="card-header"><h2>{t.contacts}</h2></div>
                    <ul class="contact-list">
                        {client.contacts.into_iter().map(|c| view! {
                            <li>
                                <span class="strong">{format!("{} {}", c.first_name, c.last_name).trim().to_string()}
                                    {c.is_primary.then(|| view! { <span class="tag">{t.primary}</span> })}</span>
                                <span class="sub">{[c.title, c.email, c.phonenumber].into_iter().flatten().collect::<Vec<_>>().join(" · ")}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
                {leads.first().map(|(lead, _)| view! { <Reminders lead=*lead /> })}
            </div>
        </div>
    }
}

#[component]
fn OpportunityTable(rows: Vec<Opportunity>, locale: Locale, with_client: bool) -> impl IntoView {
    let t = locale.t();
    if rows.is_empty() {
        return view! { <p class="muted pad">{t.no_opportunities}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead><tr>
                    <th scope="col">{t.name}</th>
                    {with_client.then(|| view! { <th scope="col">{t.client}</th> })}
                    <th scope="col">{t.stage}</th>
                    <th scope="col" class="num">{t.value}</th>
                    <th scope="col" class="hide-sm">{t.expected_close}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|o| view! {
                        <tr>
                            <td><a class="strong" href=format!("/admin/opportunities/{}", o.id)>{o.name}</a></td>
                            {with_client.then(|| view! {
                                <td><a href=format!("/admin/clients/{}", o.client_id)>{o.client_company}</a></td>
                            })}
                            <td>{stage_label(locale, &o.stage)}</td>
                            <td class="num">{o.value.map(|v| locale.money(v))}</td>
                            <td class="hide-sm">{o.expected_close_at.map(|at| locale.date(at))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn OpportunitiesPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let rows = Resource::new(|| (), |_| list_opportunities());
    view! {
        <Title text=t.opportunities />
        <header class="page-header"><h1>{t.opportunities}</h1></header>
        <section class="card">
            <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(rows) => view! { <OpportunityTable rows locale with_client=true /> }.into_any(),
                        Err(error) => view! { <p class="alert alert-error">{error_message(&error)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn OpportunityPage() -> impl IntoView {
    let t = use_locale().t();
    let id = crate::routes::use_id_param();
    let opportunity = Resource::new(id, read_opportunity);
    view! {
        <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match opportunity.await {
                    Ok(opportunity) => view! { <OpportunityView opportunity /> }.into_any(),
                    Err(error) => view! {
                        <Title text=t.opportunities />
                        <p class="alert alert-error" role="alert">{error_message(&error)}</p>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OpportunityView(opportunity: Opportunity) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let o = opportunity;
    view! {
        <Title text=o.name.clone() />
        <header class="page-header">
            <a class="btn btn-ghost" href="/admin/opportunities">{format!("← {}", t.opportunities)}</a>
            <h1>{o.name.clone()}</h1>
            <span class="tag">{stage_label(locale, &o.stage)}</span>
        </header>
        <div class="detail-grid">
            <div class="record-main">
                {o.lead_id.map(|lead| view! { <Timeline lead /> })}
            </div>
            <div class="record-side">
                <section class="card">
                    <div class="card-header"><h2>{t.profile}</h2></div>
                    <dl class="profile">
                        <div class="profile-row"><dt>{t.client}</dt>
                            <dd><a href=format!("/admin/clients/{}", o.client_id)>{o.client_company.clone()}</a></dd></div>
                        {o.value.map(|v| view! { <div class="profile-row"><dt>{t.value}</dt><dd>{locale.money(v)}</dd></div> })}
                        {o.expected_close_at.map(|at| view! { <div class="profile-row"><dt>{t.expected_close}</dt><dd>{locale.date(at)}</dd></div> })}
                        {o.lead_id.zip(o.lead_name.clone()).map(|(lead, name)| view! {
                            <div class="profile-row"><dt>{t.converted_from}</dt>
                                <dd><a href=format!("/admin/leads/{lead}")>{name}</a></dd></div>
                        })}
                        <div class="profile-row"><dt>{t.created}</dt><dd>{locale.date(o.created_at)}</dd></div>
                    </dl>
                </section>
                {o.lead_id.map(|lead| view! { <Reminders lead /> })}
            </div>
        </div>
    }
}
