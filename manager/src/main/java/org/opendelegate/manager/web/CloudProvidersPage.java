package org.opendelegate.manager.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import org.opendelegate.manager.dispatch.TaskSource;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.providers.CloudProviderRequest;
import org.opendelegate.manager.providers.CloudProviders;
import org.opendelegate.manager.providers.ProviderView;
import org.opendelegate.manager.providers.TestResult;
import org.opendelegate.manager.users.SignedIn;

/**
 * Setup → Cloud Providers: the list, a page per provider with Test and a browsable panel of what its
 * delegates see, and the dialog that adds or edits one. The secret access key field is write-only: no page
 * ever renders a stored secret. Every change goes through {@link CloudProviders}, as the API's do.
 */
public final class CloudProvidersPage implements Routes {
    static final String BASE = "/setup/cloud-providers";

    /** The list page. */
    public record ListModel(Shell shell, List<Row> rows, ProviderForm form) {}

    /** One provider as a row of the list. */
    public record Row(ProviderView p, String lastTest, String lastTestExact) {}

    /** A provider's page; {@code form} is its edit dialog (null for viewers). */
    public record DetailModel(Shell shell, ProviderView p, LastTestModel lastTest, ProviderForm form) {}

    /** What Test found, shown on the provider's page, with the provider's "Last test" as it is now. */
    public record TestModel(TestResult result, LastTestModel lastTest) {}

    /** The "Last test" fact of a provider's page; {@code oob} when it comes with a Test's answer. */
    public record LastTestModel(ProviderView p, String ago, String exact, boolean oob) {
        static LastTestModel of(ProviderView p, Instant now, boolean oob) {
            return new LastTestModel(
                    p,
                    p.lastTest() == null ? null : Ago.of(p.lastTest().at(), now),
                    p.lastTest() == null ? null : Ago.exact(p.lastTest().at()),
                    oob);
        }
    }

    private final CloudProviders providers;
    private final Pages pages;

    CloudProvidersPage(CloudProviders providers, Pages pages) {
        this.providers = providers;
        this.pages = pages;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(BASE, this::list);
        routes.post(BASE, this::create);
        routes.get(BASE + "/{id}", this::detail);
        routes.post(BASE + "/{id}", this::update);
        routes.post(BASE + "/{id}/delete", this::delete);
        routes.post(BASE + "/{id}/test", this::test);
    }

    private void list(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        Instant now = pages.now();
        List<Row> rows = providers.list(user.accountId()).stream()
                .map(p -> new Row(
                        p,
                        p.lastTest() == null ? null : Ago.of(p.lastTest().at(), now),
                        p.lastTest() == null ? null : Ago.exact(p.lastTest().at())))
                .toList();
        pages.render(
                ctx,
                "providers/page.jte",
                new ListModel(
                        pages.shell(ctx, "Cloud Providers", ConsoleNav.CLOUD_PROVIDERS),
                        rows,
                        user.canAdminister() ? ProviderForm.empty() : null));
    }

    private void detail(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        ProviderView p = providers.get(user.accountId(), ctx.pathParam("id"));
        Instant now = pages.now();
        pages.render(
                ctx,
                "providers/detail.jte",
                new DetailModel(
                        pages.shell(ctx, p.name(), ConsoleNav.CLOUD_PROVIDERS),
                        p,
                        LastTestModel.of(p, now, false),
                        user.canAdminister() ? ProviderForm.of(p) : null));
    }

    private void create(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        ProviderView created;
        try {
            created = providers.create(user.principal(), ProviderForm.request(ctx));
        } catch (DomainProblem e) {
            pages.formErrors(ctx, e, "#provider-error");
            return;
        }
        ctx.header("HX-Redirect", BASE + "/" + created.id());
    }

    private void update(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        try {
            providers.update(user.principal(), ctx.pathParam("id"), ProviderForm.request(ctx));
        } catch (DomainProblem e) {
            pages.formErrors(ctx, e, "#provider-error");
            return;
        }
        ctx.header("HX-Redirect", BASE + "/" + ctx.pathParam("id"));
    }

    private void delete(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        providers.delete(user.principal(), ctx.pathParam("id"));
        ctx.header("HX-Redirect", BASE);
    }

    /** Test's answer: what it found, and the page's "Last test" replaced out of band, so no reload is needed. */
    private void test(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        String id = ctx.pathParam("id");
        ctx.future(() -> providers
                .test(user.principal(), id, TaskSource.CONSOLE_LOOKUP)
                .thenAccept(result -> {
                    ProviderView now = providers.get(user.accountId(), id);
                    pages.render(
                            ctx,
                            "providers/testResult.jte",
                            new TestModel(result, LastTestModel.of(now, pages.now(), true)));
                }));
    }

    /** The create and edit form: what it shows and how it becomes a request. */
    public record ProviderForm(
            String id,
            String name,
            String region,
            boolean accessKey,
            List<String> selectors,
            String accessKeyId,
            boolean hasSecret,
            boolean crossAccount,
            String roleArn,
            String externalId) {

        static ProviderForm empty() {
            return new ProviderForm(null, "", "us-east-1", false, List.of(), "", false, false, "", "");
        }

        static ProviderForm of(ProviderView p) {
            var role = p.crossAccountRole();
            return new ProviderForm(
                    p.id(),
                    p.name(),
                    p.region(),
                    "ACCESS_KEY".equals(p.credentials().type()),
                    p.credentials().delegateSelectors(),
                    p.credentials().accessKeyId() == null ? "" : p.credentials().accessKeyId(),
                    Boolean.TRUE.equals(p.credentials().hasSecretAccessKey()),
                    role != null,
                    role == null ? "" : role.roleArn(),
                    role == null || role.externalId() == null ? "" : role.externalId());
        }

        public String action() {
            return id == null ? BASE : BASE + "/" + id;
        }

        static CloudProviderRequest request(Context ctx) {
            boolean accessKey = "ACCESS_KEY".equals(ctx.formParam("mode"));
            String secret = ctx.formParam("secretAccessKey");
            CloudProviderRequest.Credentials credentials = new CloudProviderRequest.Credentials(
                    accessKey ? "ACCESS_KEY" : "DELEGATE_IAM_ROLE",
                    ctx.formParams("selector"),
                    accessKey ? ctx.formParam("accessKeyId") : null,
                    accessKey && secret != null && !secret.isEmpty() ? secret : null);
            CloudProviderRequest.CrossAccountRole role = ctx.formParam("crossAccount") == null
                    ? null
                    : new CloudProviderRequest.CrossAccountRole(ctx.formParam("roleArn"), ctx.formParam("externalId"));
            return new CloudProviderRequest(ctx.formParam("name"), "AWS", ctx.formParam("region"), credentials, role);
        }
    }
}
