//! Signing in and out, sessions, the rate limit, cross-site protection, health endpoints.

#[macro_use]
mod common;
use common::{TestApp, ADMIN_EMAIL, ADMIN_PASSWORD};

both!(
    first_start_admin_signs_in_and_sees_the_leads_page,
    async |app: &TestApp| {
        let client = app.client();
        let response = app.sign_in(&client, ADMIN_EMAIL, ADMIN_PASSWORD).await;
        assert_eq!(response.status(), 200);
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(cookie.starts_with("leadline_session="), "{cookie}");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        let page = client.get(app.url("/admin/leads")).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("<h1>Leads</h1>"), "{html}");
        assert!(
            html.contains("Administrator"),
            "the signed-in user is shown"
        );
    }
);

both!(
    wrong_password_gets_a_clear_refusal_and_no_session,
    async |app: &TestApp| {
        let client = app.client();
        let response = app.sign_in(&client, ADMIN_EMAIL, "not the password").await;
        assert_eq!(response.status(), 401);
        assert!(response.headers().get("set-cookie").is_none());
        let page = client.get(app.url("/admin/leads")).send().await.unwrap();
        assert_eq!(page.status(), 303);
    }
);

both!(
    admin_pages_send_visitors_to_sign_in,
    async |app: &TestApp| {
        for path in ["/admin/leads", "/admin/settings/pipelines", "/admin"] {
            let response = app.client().get(app.url(path)).send().await.unwrap();
            assert_eq!(response.status(), 303, "{path}");
            let location = response.headers()["location"].to_str().unwrap();
            assert!(location.starts_with("/admin/login?next="), "{location}");
        }
        let login = app
            .client()
            .get(app.url("/admin/login"))
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), 200);
        assert!(login.text().await.unwrap().contains("Sign in to Leadline"));
    }
);

both!(
    romanian_browser_gets_the_romanian_sign_in_page,
    async |app: &TestApp| {
        let login = app
            .client()
            .get(app.url("/admin/login"))
            .header("accept-language", "ro-RO,ro;q=0.9,en;q=0.5")
            .send()
            .await
            .unwrap();
        let html = login.text().await.unwrap();
        assert!(html.contains("lang=\"ro\""));
        assert!(html.contains("Autentificare în Leadline"), "{html}");
    }
);

both!(
    server_functions_refuse_visitors_without_a_session,
    async |app: &TestApp| {
        let response = app
            .client()
            .post(app.url("/rpc/leads/list"))
            .json(&serde_json::json!({ "query": app::models::ListQuery::default() }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
    }
);

both!(
    signing_in_is_rate_limited_per_email,
    async |app: &TestApp| {
        let client = app.client();
        let mut statuses = Vec::new();
        for _ in 0..12 {
            let response = app.sign_in(&client, ADMIN_EMAIL, "guess").await;
            statuses.push(response.status().as_u16());
        }
        assert_eq!(&statuses[..10], &[401; 10]);
        assert_eq!(statuses[10], 429);
        // Even the right password waits until the limit has passed.
        let response = app.sign_in(&client, ADMIN_EMAIL, ADMIN_PASSWORD).await;
        assert_eq!(response.status(), 429);
    }
);

both!(
    signing_out_ends_the_session_for_good,
    async |app: &TestApp| {
        let client = app.admin().await;
        let cookie_before = app.count("SELECT COUNT(*) FROM sessions").await;
        assert_eq!(cookie_before, 1);
        let response = client.post(app.url("/admin/logout")).send().await.unwrap();
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], "/admin/login");
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
        let page = client.get(app.url("/admin/leads")).send().await.unwrap();
        assert_eq!(page.status(), 303);
    }
);

both!(cross_site_writes_are_refused, async |app: &TestApp| {
    let client = app.admin().await;
    let response = client
        .post(app.url("/rpc/leads/list"))
        .header("origin", "https://evil.example")
        .form(&[("page", "1"), ("per_page", "10")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let response = client
        .post(app.url("/admin/logout"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions").await,
        1,
        "the session survived"
    );
});

both!(language_choice_is_saved_per_user, async |app: &TestApp| {
    let client = app.admin().await;
    let response = client
        .post(app.url("/admin/language"))
        .header("referer", format!("{}/admin/leads", app.base))
        .form(&[("language", "ro")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let html = app.page(&client, "/admin/leads").await;
    assert!(html.contains("<h1>Lead-uri</h1>"), "{html}");
});

both!(health_and_readiness, async |app: &TestApp| {
    let health = app.client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = app.client().get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.unwrap(), "ready");
});

/// The leads page as a board (even `i`) or as the list (odd).
fn leads_view(i: usize) -> &'static str {
    if i.is_multiple_of(2) {
        "/admin/leads?view=board"
    } else {
        "/admin/leads?view=list"
    }
}

both!(
    pages_loaded_at_once_all_finish_and_the_server_stays_up,
    async |app: &TestApp| {
        // Forty leads pages at once, board and list: each response streams to its end (its
        // resolved resources written), and the server answers afterwards. A page whose title
        // read a value of a tree already gone used to panic, which a release build turned into
        // the end of the process.
        let client = app.admin().await;
        let pages = (0..40).map(|i| app.page(&client, leads_view(i)));
        for html in futures_util::future::join_all(pages).await {
            assert!(html.contains("__RESOLVED_RESOURCES"), "{html}");
        }
        let health = app.client().get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(health.status(), 200);
    }
);

both!(
    pages_finish_while_another_server_starts_in_the_same_process,
    async |app: &TestApp| {
        // Starting a server renders the app once to list its routes, with resource loads
        // suppressed process-wide; a page rendering meanwhile used to wait forever for its
        // data (seen as a page stalled now and then when tests started servers side by side).
        let client = app.admin().await;
        let state = app.state.clone();
        let starting = tokio::task::spawn_blocking(move || {
            for _ in 0..200 {
                drop(server::build_router(state.clone()));
            }
        });
        let pages = (0..40).map(|i| app.page(&client, leads_view(i)));
        let pages = tokio::time::timeout(
            std::time::Duration::from_secs(20),
            futures_util::future::join_all(pages),
        )
        .await
        .expect("every page finishes while another server starts");
        for html in pages {
            assert!(html.contains("__RESOLVED_RESOURCES"), "{html}");
        }
        starting.await.unwrap();
    }
);
