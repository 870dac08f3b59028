//! English and Romanian: every user-visible string, and locale-aware dates and money.
//!
//! Each language is a `Texts` value, so a missing translation is a compile error, not a blank.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Locale {
    #[default]
    En,
    Ro,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Ro];

    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ro => "ro",
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        match code.trim().to_ascii_lowercase().get(..2) {
            Some("en") => Some(Locale::En),
            Some("ro") => Some(Locale::Ro),
            _ => None,
        }
    }

    /// The first supported language in an `Accept-Language` header.
    pub fn from_accept_language(header: &str) -> Locale {
        header
            .split(',')
            .filter_map(|part| Locale::from_code(part.split(';').next().unwrap_or("")))
            .next()
            .unwrap_or_default()
    }

    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Ro => "Română",
        }
    }

    pub fn t(self) -> &'static Texts {
        match self {
            Locale::En => &EN,
            Locale::Ro => &RO,
        }
    }

    /// The label of a lead field, by its API name.
    pub fn field_label(self, field: &str) -> &'static str {
        let (en, ro) = match field {
            "name" => ("Name", "Nume"),
            "title" => ("Position", "Funcție"),
            "company" => ("Company", "Companie"),
            "description" => ("Description", "Descriere"),
            "country" => ("Country", "Țară"),
            "zip" => ("Zip code", "Cod poștal"),
            "city" => ("City", "Oraș"),
            "state" => ("State", "Județ"),
            "address" => ("Address", "Adresă"),
            "email" => ("Email", "Email"),
            "website" => ("Website", "Website"),
            "phonenumber" => ("Phone", "Telefon"),
            "lead_value" => ("Lead value", "Valoare lead"),
            "source" => ("Source", "Sursă"),
            "assigned" => ("Assigned to", "Atribuit lui"),
            "next_action" => ("Next action", "Următoarea acțiune"),
            _ => ("", ""),
        };
        match self {
            Locale::En => en,
            Locale::Ro => ro,
        }
    }

    /// `1234567` minor units → "12,345.67" (en) or "12.345,67" (ro).
    pub fn money(self, minor: i64) -> String {
        let (group, decimal) = match self {
            Locale::En => (',', '.'),
            Locale::Ro => ('.', ','),
        };
        let sign = if minor < 0 { "-" } else { "" };
        let abs = minor.unsigned_abs();
        let units = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, ch) in units.chars().enumerate() {
            if i > 0 && (units.len() - i).is_multiple_of(3) {
                grouped.push(group);
            }
            grouped.push(ch);
        }
        format!("{sign}{grouped}{decimal}{:02}", abs % 100)
    }

    /// Milliseconds since the epoch → a short date ("Nov 26, 2026" / "26.11.2026"), UTC.
    pub fn date(self, millis: i64) -> String {
        let Some(at) = chrono::DateTime::from_timestamp_millis(millis) else {
            return String::new();
        };
        match self {
            Locale::En => at.format("%b %-d, %Y").to_string(),
            Locale::Ro => at.format("%d.%m.%Y").to_string(),
        }
    }

    pub fn date_time(self, millis: i64) -> String {
        let Some(at) = chrono::DateTime::from_timestamp_millis(millis) else {
            return String::new();
        };
        match self {
            Locale::En => at.format("%b %-d, %Y %H:%M").to_string(),
            Locale::Ro => at.format("%d.%m.%Y %H:%M").to_string(),
        }
    }
}

/// Fill `{name}` placeholders of a message template.
pub fn fill(template: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

pub struct Texts {
    pub app_name: &'static str,
    pub leads: &'static str,
    pub settings: &'static str,
    pub sign_in: &'static str,
    pub sign_in_title: &'static str,
    pub sign_out: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub wrong_credentials: &'static str,
    pub too_many_attempts: &'static str,
    pub name: &'static str,
    pub company: &'static str,
    pub stage: &'static str,
    pub assigned: &'static str,
    pub source: &'static str,
    pub value: &'static str,
    pub created: &'static str,
    pub unassigned: &'static str,
    pub no_leads: &'static str,
    pub leads_total: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub page: &'static str,
    pub lost: &'static str,
    pub junk: &'static str,
    pub pipelines: &'static str,
    pub pipeline: &'static str,
    pub stages: &'static str,
    pub sources: &'static str,
    pub lost_reasons: &'static str,
    pub users: &'static str,
    pub add: &'static str,
    pub save: &'static str,
    pub cancel: &'static str,
    pub rename: &'static str,
    pub delete: &'static str,
    pub move_up: &'static str,
    pub move_down: &'static str,
    pub default_label: &'static str,
    pub make_default: &'static str,
    pub in_use: &'static str,
    pub color: &'static str,
    pub probability: &'static str,
    pub stalled_after_days: &'static str,
    pub required_fields: &'static str,
    pub new_pipeline: &'static str,
    pub new_stage: &'static str,
    pub new_source: &'static str,
    pub new_lost_reason: &'static str,
    pub new_user: &'static str,
    pub role: &'static str,
    pub role_admin: &'static str,
    pub role_manager: &'static str,
    pub role_sales: &'static str,
    pub language: &'static str,
    pub active: &'static str,
    pub inactive: &'static str,
    pub deactivate: &'static str,
    pub activate: &'static str,
    pub saved: &'static str,
    pub loading: &'static str,
    pub empty_list: &'static str,
    pub admin_only: &'static str,
    pub profile: &'static str,
    pub all_pipelines: &'static str,
    pub days: &'static str,
    pub leads_in_stage: &'static str,
    pub password_hint: &'static str,
    pub search_placeholder: &'static str,
    pub confirm_delete: &'static str,
    pub err_required: &'static str,
    pub err_too_long: &'static str,
    pub err_email: &'static str,
    pub err_money: &'static str,
    pub err_number: &'static str,
    pub err_range: &'static str,
    pub err_date: &'static str,
    pub err_missing_ref: &'static str,
    pub err_required_in_stage: &'static str,
    pub err_in_use: &'static str,
    pub err_last_stage: &'static str,
    pub err_stage_leads_go: &'static str,
    pub delete_stage_title: &'static str,
    pub delete_stage_leads: &'static str,
    pub delete_stage_empty: &'static str,
    pub move_leads_to: &'static str,
    pub err_default_pipeline: &'static str,
    pub err_password_short: &'static str,
    pub err_email_taken: &'static str,
    pub err_last_admin: &'static str,
    pub err_color: &'static str,
    pub err_conflict: &'static str,
    pub err_unknown_field: &'static str,
    pub err_unknown_capability: &'static str,
    pub api: &'static str,
    pub new_api_token: &'static str,
    pub api_token_help: &'static str,
    pub api_tokens: &'static str,
    pub no_api_tokens: &'static str,
    pub acts_as: &'static str,
    pub permissions: &'static str,
    pub expires: &'static str,
    pub last_used: &'static str,
    pub revoke: &'static str,
    pub api_token_name_hint: &'static str,
    pub expires_in_days: &'static str,
    pub never: &'static str,
    pub create_token: &'static str,
    pub token_shown_once: &'static str,
    pub api_token: &'static str,
    pub copied: &'static str,
    pub copy: &'static str,
    pub revoked: &'static str,
    pub expired: &'static str,
    pub confirm_revoke: &'static str,
    pub back_to_leads: &'static str,
    pub stage_history: &'static str,
    pub last_contact: &'static str,
    pub board: &'static str,
    pub list: &'static str,
    pub view_as: &'static str,
    pub load_more: &'static str,
    pub shown_of: &'static str,
    pub stalled: &'static str,
    pub stalled_count: &'static str,
    pub weighted: &'static str,
    pub days_in_stage: &'static str,
    pub overdue: &'static str,
    pub quick_add: &'static str,
    pub quick_add_in: &'static str,
    pub move_to: &'static str,
    pub move_name_to: &'static str,
    pub current_stage: &'static str,
    pub reopen: &'static str,
    pub lost_reason: &'static str,
    pub note: &'static str,
    pub mark_lost_title: &'static str,
    pub mark_lost: &'static str,
    pub mark_junk: &'static str,
    pub required_title: &'static str,
    pub required_intro: &'static str,
    pub move_action: &'static str,
    pub choose: &'static str,
    pub drop_lost: &'static str,
    pub drop_junk: &'static str,
    pub drop_hint: &'static str,
    pub status_open: &'static str,
    pub status: &'static str,
    pub any_assignee: &'static str,
    pub any_source: &'static str,
    pub tag: &'static str,
    pub search_board: &'static str,
    pub created_from: &'static str,
    pub created_to: &'static str,
    pub value_min: &'static str,
    pub value_max: &'static str,
    pub stalled_only: &'static str,
    pub my_leads: &'static str,
    pub more_filters: &'static str,
    pub apply: &'static str,
    pub clear_filters: &'static str,
    pub empty_column: &'static str,
    pub board_help: &'static str,
    pub picked_up: &'static str,
    pub moved_over: &'static str,
    pub dropped: &'static str,
    pub drop_unchanged: &'static str,
    pub move_cancelled: &'static str,
    pub move_failed: &'static str,
    pub marked_lost: &'static str,
    pub marked_junk: &'static str,
    pub reopened: &'static str,
    pub lead_added: &'static str,
    pub dismiss: &'static str,
    pub actions_for: &'static str,
    pub err_filter: &'static str,
}

pub static EN: Texts = Texts {
    app_name: "Leadline",
    leads: "Leads",
    settings: "Settings",
    sign_in: "Sign in",
    sign_in_title: "Sign in to Leadline",
    sign_out: "Sign out",
    email: "Email",
    password: "Password",
    wrong_credentials: "Wrong email or password.",
    too_many_attempts: "Too many sign-in attempts. Wait a minute and try again.",
    name: "Name",
    company: "Company",
    stage: "Stage",
    assigned: "Assigned to",
    source: "Source",
    value: "Value",
    created: "Created",
    unassigned: "Unassigned",
    no_leads: "No leads yet.",
    leads_total: "leads",
    previous: "Previous",
    next: "Next",
    page: "Page",
    lost: "Lost",
    junk: "Junk",
    pipelines: "Pipelines",
    pipeline: "Pipeline",
    stages: "Stages",
    sources: "Sources",
    lost_reasons: "Lost reasons",
    users: "Users",
    add: "Add",
    save: "Save",
    cancel: "Cancel",
    rename: "Rename",
    delete: "Delete",
    move_up: "Move up",
    move_down: "Move down",
    default_label: "Default",
    make_default: "Make default",
    in_use: "in use",
    color: "Colour",
    probability: "Win probability %",
    stalled_after_days: "Stalled after (days)",
    required_fields: "Required fields",
    new_pipeline: "New pipeline",
    new_stage: "New stage",
    new_source: "New source",
    new_lost_reason: "New lost reason",
    new_user: "New user",
    role: "Role",
    role_admin: "Administrator",
    role_manager: "Sales manager",
    role_sales: "Sales rep",
    language: "Language",
    active: "Active",
    inactive: "Inactive",
    deactivate: "Deactivate",
    activate: "Activate",
    saved: "Saved.",
    loading: "Loading…",
    empty_list: "Nothing here yet.",
    admin_only: "Only administrators can change this.",
    profile: "Profile",
    all_pipelines: "All pipelines",
    days: "days",
    leads_in_stage: "leads",
    password_hint: "At least 10 characters",
    search_placeholder: "Search leads",
    confirm_delete: "Delete “{name}”? This cannot be undone.",
    err_required: "This field is required.",
    err_too_long: "At most {max} characters (this has {len}).",
    err_email: "Enter a valid email address, like name@example.com.",
    err_money: "Enter an amount like 1500 or 1500.50.",
    err_number: "Enter a whole number.",
    err_range: "Enter a number from {min} to {max}.",
    err_date: "Enter a date like 2026-11-26 or 2026-11-26 14:30.",
    err_missing_ref: "This does not exist (any more).",
    err_required_in_stage: "Required to enter stage {stage}.",
    err_in_use: "Still used by {n} leads; move them first.",
    err_last_stage: "A pipeline needs at least one stage.",
    err_stage_leads_go: "Choose the stage its {n} leads move to.",
    delete_stage_title: "Delete the stage “{name}”?",
    delete_stage_leads: "It holds {n} leads. They move to the stage you choose; each move is recorded in the lead's history.",
    delete_stage_empty: "No lead is in this stage now. Any in the trash that were in it move to the stage you choose; past stays remain in stage history.",
    move_leads_to: "Move its leads to",
    err_default_pipeline:
        "The default pipeline cannot be deleted; make another one the default first.",
    err_password_short: "Use at least 10 characters.",
    err_email_taken: "A user with this email already exists.",
    err_last_admin: "Leadline needs at least one active administrator.",
    err_color: "Use a colour like #3b82f6.",
    err_conflict: "Someone else changed this lead in the meantime; it is now in stage {stage}.",
    err_unknown_field: "Unknown lead field: {field}.",
    err_unknown_capability: "Unknown permission: {name}.",
    api: "API",
    new_api_token: "New API token",
    api_token_help: "A token lets an integration call the REST API under /api as the staff user you choose, seeing only what that user may see. Send it in the authtoken header (or Authorization: Bearer). The API is described at /api/openapi.json.",
    api_tokens: "API tokens",
    no_api_tokens: "No API tokens yet.",
    acts_as: "Acts as",
    permissions: "Permissions",
    expires: "Expires",
    last_used: "Last used",
    revoke: "Revoke",
    api_token_name_hint: "e.g. Website form",
    expires_in_days: "Expires after (days)",
    never: "Never",
    create_token: "Create token",
    token_shown_once: "Copy this token now: it is shown only once and cannot be recovered.",
    api_token: "API token",
    copied: "Copied",
    copy: "Copy",
    revoked: "Revoked",
    expired: "Expired",
    confirm_revoke: "Revoke the token “{name}”? Integrations using it stop working at once.",
    back_to_leads: "Back to leads",
    stage_history: "Stage history",
    last_contact: "Last contact",
    board: "Board",
    list: "List",
    view_as: "View",
    load_more: "Load more",
    shown_of: "{shown} of {total}",
    stalled: "Stalled",
    stalled_count: "{n} stalled",
    weighted: "weighted",
    days_in_stage: "{n} d in stage",
    overdue: "Overdue",
    quick_add: "Add a lead",
    quick_add_in: "Add a lead to {stage}",
    move_to: "Move to…",
    move_name_to: "Move {name} to…",
    current_stage: "current",
    reopen: "Reopen",
    lost_reason: "Lost reason",
    note: "Note",
    mark_lost_title: "Mark {name} as lost",
    mark_lost: "Mark as lost",
    mark_junk: "Mark as junk",
    required_title: "{stage} needs a few details",
    required_intro: "Fill these in to move {name}.",
    move_action: "Move",
    choose: "Choose…",
    drop_lost: "Lost",
    drop_junk: "Junk",
    drop_hint: "Drop here",
    status_open: "Open",
    status: "Status",
    any_assignee: "Anyone",
    any_source: "Any source",
    tag: "Tag",
    search_board: "Search name, company, email, phone",
    created_from: "Created from",
    created_to: "Created until",
    value_min: "Value from",
    value_max: "Value up to",
    stalled_only: "Stalled only",
    my_leads: "My leads",
    more_filters: "More filters",
    apply: "Apply",
    clear_filters: "Clear filters",
    empty_column: "No leads here",
    board_help: "Drag a card, or focus it and press Space, then the arrow keys.",
    picked_up: "Picked up {name} in {stage}, position {i} of {n}. Arrow keys move it, Space drops it, Escape cancels.",
    moved_over: "{name}: {stage}, position {i} of {n}.",
    dropped: "{name} moved to {stage}.",
    drop_unchanged: "{name} stays where it was.",
    move_cancelled: "Move cancelled: {name} is back in {stage}.",
    move_failed: "{name} was not moved: {reason}",
    marked_lost: "{name} marked as lost.",
    marked_junk: "{name} marked as junk.",
    reopened: "{name} is open again.",
    lead_added: "{name} added to {stage}.",
    dismiss: "Dismiss",
    actions_for: "Actions for {name}",
    err_filter: "Some filters could not be read:",
};

pub static RO: Texts = Texts {
    app_name: "Leadline",
    leads: "Lead-uri",
    settings: "Setări",
    sign_in: "Autentificare",
    sign_in_title: "Autentificare în Leadline",
    sign_out: "Deconectare",
    email: "Email",
    password: "Parolă",
    wrong_credentials: "Email sau parolă greșită.",
    too_many_attempts:
        "Prea multe încercări de autentificare. Așteptați un minut și încercați din nou.",
    name: "Nume",
    company: "Companie",
    stage: "Etapă",
    assigned: "Atribuit lui",
    source: "Sursă",
    value: "Valoare",
    created: "Creat",
    unassigned: "Neatribuit",
    no_leads: "Încă nu există lead-uri.",
    leads_total: "lead-uri",
    previous: "Înapoi",
    next: "Înainte",
    page: "Pagina",
    lost: "Pierdut",
    junk: "Nerelevant",
    pipelines: "Fluxuri de vânzare",
    pipeline: "Flux de vânzare",
    stages: "Etape",
    sources: "Surse",
    lost_reasons: "Motive de pierdere",
    users: "Utilizatori",
    add: "Adaugă",
    save: "Salvează",
    cancel: "Anulează",
    rename: "Redenumește",
    delete: "Șterge",
    move_up: "Mută mai sus",
    move_down: "Mută mai jos",
    default_label: "Implicit",
    make_default: "Setează implicit",
    in_use: "în uz",
    color: "Culoare",
    probability: "Probabilitate de câștig %",
    stalled_after_days: "Blocat după (zile)",
    required_fields: "Câmpuri obligatorii",
    new_pipeline: "Flux nou",
    new_stage: "Etapă nouă",
    new_source: "Sursă nouă",
    new_lost_reason: "Motiv de pierdere nou",
    new_user: "Utilizator nou",
    role: "Rol",
    role_admin: "Administrator",
    role_manager: "Manager de vânzări",
    role_sales: "Agent de vânzări",
    language: "Limbă",
    active: "Activ",
    inactive: "Inactiv",
    deactivate: "Dezactivează",
    activate: "Activează",
    saved: "Salvat.",
    loading: "Se încarcă…",
    empty_list: "Nimic aici încă.",
    admin_only: "Doar administratorii pot modifica aceasta.",
    profile: "Profil",
    all_pipelines: "Toate fluxurile",
    days: "zile",
    leads_in_stage: "lead-uri",
    password_hint: "Cel puțin 10 caractere",
    search_placeholder: "Caută lead-uri",
    confirm_delete: "Ștergeți „{name}”? Acțiunea nu poate fi anulată.",
    err_required: "Acest câmp este obligatoriu.",
    err_too_long: "Cel mult {max} caractere (acesta are {len}).",
    err_email: "Introduceți o adresă de email validă, de ex. nume@exemplu.ro.",
    err_money: "Introduceți o sumă precum 1500 sau 1500,50.",
    err_number: "Introduceți un număr întreg.",
    err_range: "Introduceți un număr între {min} și {max}.",
    err_date: "Introduceți o dată precum 2026-11-26 sau 2026-11-26 14:30.",
    err_missing_ref: "Acesta nu (mai) există.",
    err_required_in_stage: "Obligatoriu pentru etapa {stage}.",
    err_in_use: "Încă folosit de {n} lead-uri; mutați-le mai întâi.",
    err_last_stage: "Un flux are nevoie de cel puțin o etapă.",
    err_stage_leads_go: "Alegeți etapa în care se mută cele {n} lead-uri ale sale.",
    delete_stage_title: "Ștergeți etapa „{name}”?",
    delete_stage_leads: "Conține {n} lead-uri. Se mută în etapa aleasă; fiecare mutare rămâne în istoricul lead-ului.",
    delete_stage_empty: "Niciun lead nu e în această etapă. Cele din coș care erau aici se mută în etapa aleasă; trecerile anterioare rămân în istoricul etapelor.",
    move_leads_to: "Mutați lead-urile în",
    err_default_pipeline:
        "Fluxul implicit nu poate fi șters; setați mai întâi alt flux ca implicit.",
    err_password_short: "Folosiți cel puțin 10 caractere.",
    err_email_taken: "Există deja un utilizator cu acest email.",
    err_last_admin: "Leadline are nevoie de cel puțin un administrator activ.",
    err_color: "Folosiți o culoare precum #3b82f6.",
    err_conflict: "Altcineva a modificat acest lead între timp; acum este în etapa {stage}.",
    err_unknown_field: "Câmp necunoscut: {field}.",
    err_unknown_capability: "Permisiune necunoscută: {name}.",
    api: "API",
    new_api_token: "Token API nou",
    api_token_help: "Un token permite unei integrări să apeleze API-ul REST de sub /api ca utilizatorul ales, văzând doar ce vede acel utilizator. Trimiteți-l în antetul authtoken (sau Authorization: Bearer). API-ul este descris la /api/openapi.json.",
    api_tokens: "Tokenuri API",
    no_api_tokens: "Niciun token API încă.",
    acts_as: "Acționează ca",
    permissions: "Permisiuni",
    expires: "Expiră",
    last_used: "Folosit ultima dată",
    revoke: "Revocă",
    api_token_name_hint: "ex. Formular site",
    expires_in_days: "Expiră după (zile)",
    never: "Niciodată",
    create_token: "Creează token",
    token_shown_once: "Copiați acest token acum: este afișat o singură dată și nu poate fi recuperat.",
    api_token: "Token API",
    copied: "Copiat",
    copy: "Copiază",
    revoked: "Revocat",
    expired: "Expirat",
    confirm_revoke: "Revocați tokenul „{name}”? Integrările care îl folosesc nu vor mai funcționa.",
    back_to_leads: "Înapoi la lead-uri",
    stage_history: "Istoricul etapelor",
    last_contact: "Ultimul contact",
    board: "Panou",
    list: "Listă",
    view_as: "Vizualizare",
    load_more: "Încarcă mai multe",
    shown_of: "{shown} din {total}",
    stalled: "Blocat",
    stalled_count: "{n} blocate",
    weighted: "ponderat",
    days_in_stage: "{n} z în etapă",
    overdue: "Restant",
    quick_add: "Adaugă un lead",
    quick_add_in: "Adaugă un lead în {stage}",
    move_to: "Mută în…",
    move_name_to: "Mută {name} în…",
    current_stage: "actuală",
    reopen: "Redeschide",
    lost_reason: "Motivul pierderii",
    note: "Notă",
    mark_lost_title: "Marchează {name} ca pierdut",
    mark_lost: "Marchează ca pierdut",
    mark_junk: "Marchează ca nerelevant",
    required_title: "Etapa {stage} cere câteva detalii",
    required_intro: "Completează-le ca să muți {name}.",
    move_action: "Mută",
    choose: "Alege…",
    drop_lost: "Pierdut",
    drop_junk: "Nerelevant",
    drop_hint: "Lasă aici",
    status_open: "Deschise",
    status: "Stare",
    any_assignee: "Oricine",
    any_source: "Orice sursă",
    tag: "Etichetă",
    search_board: "Caută nume, companie, email, telefon",
    created_from: "Creat de la",
    created_to: "Creat până la",
    value_min: "Valoare de la",
    value_max: "Valoare până la",
    stalled_only: "Doar blocate",
    my_leads: "Lead-urile mele",
    more_filters: "Mai multe filtre",
    apply: "Aplică",
    clear_filters: "Șterge filtrele",
    empty_column: "Niciun lead aici",
    board_help: "Trage un card sau selectează-l și apasă Spațiu, apoi săgețile.",
    picked_up: "Ai ridicat {name} din {stage}, poziția {i} din {n}. Săgețile îl mută, Spațiu îl lasă, Escape anulează.",
    moved_over: "{name}: {stage}, poziția {i} din {n}.",
    dropped: "{name} a fost mutat în {stage}.",
    drop_unchanged: "{name} rămâne unde era.",
    move_cancelled: "Mutare anulată: {name} a revenit în {stage}.",
    move_failed: "{name} nu a fost mutat: {reason}",
    marked_lost: "{name} marcat ca pierdut.",
    marked_junk: "{name} marcat ca nerelevant.",
    reopened: "{name} este din nou deschis.",
    lead_added: "{name} a fost adăugat în {stage}.",
    dismiss: "Închide",
    actions_for: "Acțiuni pentru {name}",
    err_filter: "Unele filtre nu pot fi citite:",
};

/// The language to render this request in. On the server: the signed-in user's language, else
/// the browser's `Accept-Language`. In the browser: the `lang` the server put on `<html>`, so
/// hydration renders the same text.
pub fn request_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        if let Some(user) = crate::server::auth::current_user() {
            return user.locale;
        }
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.headers.get(http::header::ACCEPT_LANGUAGE).cloned())
            .and_then(|value| value.to_str().ok().map(Locale::from_accept_language))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        leptos::prelude::document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|code| Locale::from_code(&code))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_grouped_per_locale() {
        assert_eq!(Locale::En.money(123456789), "1,234,567.89");
        assert_eq!(Locale::Ro.money(123456789), "1.234.567,89");
        assert_eq!(Locale::En.money(-5), "-0.05");
        assert_eq!(Locale::En.money(100000), "1,000.00");
    }

    #[test]
    fn accept_language_picks_first_supported() {
        assert_eq!(
            Locale::from_accept_language("fr-FR,ro;q=0.8,en;q=0.5"),
            Locale::Ro
        );
        assert_eq!(Locale::from_accept_language("de"), Locale::En);
    }

    #[test]
    fn dates_follow_locale() {
        let millis = 1_795_000_000_000; // 2026-11-18
        assert_eq!(Locale::En.date(millis), "Nov 18, 2026");
        assert_eq!(Locale::Ro.date(millis), "18.11.2026");
    }
}
