//! Privacy requests: a lead's data exported as JSON for whoever may see it; its personal data
//! erased by an admin, the anonymous lead kept for the counts, the erasure audited.

#[macro_use]
mod common;
use app::error::AppError;
use app::models::{ActivityInput, LeadInput, Role};
use app::server::leads::{self, Via};
use app::server::privacy;
use common::TestApp;

async fn lead_with_history(app: &TestApp) -> i64 {
    let admin = app.admin_actor().await;
    let lead = leads::create(
        app.store(),
        &admin,
        &LeadInput {
            name: Some("Gina Gdpr".into()),
            email: Some("gina@private.test".into()),
            phonenumber: Some("+40 711 111 111".into()),
            address: Some("Strada Lunga 1".into()),
            lead_value: Some("700".into()),
            ..Default::default()
        },
        Via::Ui,
    )
    .await
    .unwrap();
    let call = ActivityInput {
        kind: "call".into(),
        body: "Gina's husband picked up".into(),
        outcome: "connected".into(),
        ..Default::default()
    };
    leads::log_activity(app.store(), &admin, lead.id, &call, Via::Ui)
        .await
        .unwrap();
    lead.id
}

both!(
    a_lead_is_exported_as_json_to_whoever_may_see_it,
    async |app: &TestApp| {
        let id = lead_with_history(app).await;
        let client = app.admin().await;
        let response = client
            .get(app.url(&format!("/admin/leads/{id}/export")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(&format!("lead-{id}.json")));
        let document: serde_json::Value = response.json().await.unwrap();
        assert_eq!(document["lead"]["email"], "gina@private.test");
        assert!(document["timeline"]
            .to_string()
            .contains("husband picked up"));
        assert!(document["stage_history"]
            .as_array()
            .is_some_and(|s| !s.is_empty()));

        let (_, _) = app.user("Sam Sales", Role::Sales).await;
        let sales = app
            .signed_in("sam.sales@test.local", "user-password-1")
            .await;
        let hidden = sales
            .get(app.url(&format!("/admin/leads/{id}/export")))
            .send()
            .await
            .unwrap();
        assert_eq!(hidden.status(), 404, "not a lead this rep may see");
        let anonymous = app
            .client()
            .get(app.url(&format!("/admin/leads/{id}/export")))
            .send()
            .await
            .unwrap();
        assert_ne!(anonymous.status(), 200);
    }
);

both!(
    an_admin_erases_personal_data_the_counts_stay_and_it_is_audited,
    async |app: &TestApp| {
        let id = lead_with_history(app).await;
        let admin = app.admin_actor().await;
        let (_, manager) = app.user("Mara Manager", Role::Manager).await;
        assert_eq!(
            privacy::erase(app.store(), &manager, id).await,
            Err(AppError::Forbidden)
        );
        let totals = "SELECT CAST(COALESCE(SUM(leads), 0) AS BIGINT) FROM stage_totals";
        let value = "SELECT CAST(COALESCE(SUM(value), 0) AS BIGINT) FROM stage_totals";
        let (leads_before, value_before) = (app.count(totals).await, app.count(value).await);

        privacy::erase(app.store(), &admin, id).await.unwrap();
        let lead = leads::get(&app.store().db, &admin, id).await.unwrap();
        assert_eq!(lead.name, format!("Erased lead #{id}"));
        assert_eq!(
            (lead.email, lead.phonenumber, lead.address),
            (None, None, None)
        );
        assert_eq!(
            lead.lead_value,
            Some(70_000),
            "the value stays for the reports"
        );
        assert_eq!(app.count(totals).await, leads_before);
        assert_eq!(app.count(value).await, value_before);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM activities WHERE lead_id = {id} AND body IS NOT NULL"
            ))
            .await,
            0
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM leads WHERE email = 'gina@private.test'")
                .await,
            0
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'erase_personal_data' AND entity = 'lead' \
                 AND entity_id = {id} AND user_id = {}",
                admin.user_id.unwrap()
            ))
            .await,
            1
        );
        let export = privacy::export(&app.store().db, &admin, id).await.unwrap();
        assert!(!export.to_string().contains("gina@private.test"));
        assert!(!export.to_string().contains("husband"));
    }
);
