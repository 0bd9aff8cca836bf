package org.opendelegate.manager.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opendelegate.manager.deployments.DeploymentRequest;
import org.opendelegate.manager.deployments.DeploymentView;
import org.opendelegate.manager.deployments.Deployments;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.manager.providers.CloudProviders;
import org.opendelegate.manager.providers.ProviderView;
import org.opendelegate.manager.users.SignedIn;

/**
 * Deployments → Deploy: a form that walks provider → region → cluster → service with the providers' lookups, then
 * takes an image (and container) or a whole task definition (and its variables). <b>Preview</b> runs a dry run and
 * shows its diff and problems in the form; <b>Deploy</b>, offered once a preview ended without problems, submits
 * the deployment and opens its page. Offered to admins and operators; the deployment service refuses everyone
 * else. Invalid input comes back as the same form with each error next to its field.
 */
public final class DeployPage implements Routes {
    static final String PATH = DeploymentsPage.BASE + "/new";
    static final String PREVIEW = "preview";
    static final String DEPLOY = "deploy";

    /**
     * The page.
     *
     * @param preview the dry run of what the form holds, or null before one was asked for
     */
    public record Model(
            Shell shell,
            DeployForm form,
            List<ProviderView> providers,
            DeployTarget target,
            DeploymentDetail preview) {}

    /** The part of the form that walks region → cluster → service. */
    public record TargetModel(DeployForm form, DeployTarget target) {}

    /** New suggestions for that part; after another provider was chosen, its fields start again too. */
    public record TargetUpdate(TargetModel model, boolean providerChanged) {}

    private final Deployments deployments;
    private final CloudProviders providers;
    private final DeploymentsPage detailPages;
    private final Pages pages;

    DeployPage(Deployments deployments, CloudProviders providers, DeploymentsPage detailPages, Pages pages) {
        this.deployments = deployments;
        this.providers = providers;
        this.detailPages = detailPages;
        this.pages = pages;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(PATH, this::newForm);
        routes.post(PATH, this::submit);
        routes.get(PATH + "/target", this::target);
        routes.get(DeploymentsPage.BASE + "/previews/{id}", this::preview);
    }

    private void newForm(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        user.principal().requireTaskRunner();
        List<ProviderView> list = providers.list(user.accountId());
        DeployForm form = DeployForm.empty();
        // With one provider there is nothing to choose: start from it and its region.
        if (list.size() == 1) {
            form = form.with("cloudProviderId", list.get(0).id())
                    .with("region", list.get(0).region());
        }
        show(ctx, form, null);
    }

    private void show(Context ctx, DeployForm form, DeploymentDetail preview) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        pages.render(
                ctx,
                "deployments/new.jte",
                new Model(
                        pages.shell(ctx, "Deploy", ConsoleNav.DEPLOYMENTS),
                        form,
                        providers.list(user.accountId()),
                        DeployTarget.NOTHING_CHOSEN,
                        preview));
    }

    /** Region, cluster and service with what the choices made so far let the delegates list. */
    private void target(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        user.principal().requireTaskRunner();
        DeployForm form = DeployForm.read(ctx::queryParam);
        // A new provider starts again from its own region, with no cluster or service.
        boolean providerChanged = "cloudProviderId".equals(ctx.header("HX-Trigger-Name"));
        if (providerChanged) {
            String provider = form.value("cloudProviderId").strip();
            form = form.with(
                            "region",
                            provider.isEmpty()
                                    ? ""
                                    : providers.get(user.accountId(), provider).region())
                    .with("cluster", "")
                    .with("service", "");
        }
        DeployForm chosen = form;
        ctx.future(() -> DeployTarget.lookUp(providers.lookups(), user.principal(), chosen)
                .thenAccept(t -> pages.render(
                        ctx,
                        "deployments/targetUpdate.jte",
                        new TargetUpdate(new TargetModel(chosen, t), providerChanged))));
    }

    private void submit(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        user.principal().requireTaskRunner();
        DeployForm form = DeployForm.read(ctx::formParam);
        boolean preview = !DEPLOY.equals(ctx.formParam("action"));
        Map<String, List<String>> syntax = new LinkedHashMap<>();
        DeploymentRequest request = form.request(preview, syntax);
        if (!syntax.isEmpty()) {
            ctx.status(422);
            show(ctx, form.withSyntaxErrors(syntax), null);
            return;
        }
        try {
            if (preview) {
                DeploymentView dryRun = deployments.preview(user.principal(), request);
                show(ctx, form, detailPages.detail(user, dryRun));
            } else {
                DeploymentView submitted = deployments.submit(user.principal(), request);
                ctx.redirect(DeploymentsPage.BASE + "/" + submitted.id(), HttpStatus.SEE_OTHER);
            }
        } catch (DomainProblem e) {
            if ((e.kind() == ProblemKind.INVALID || e.kind() == ProblemKind.UNRESOLVED_REFERENCE)
                    && !e.errors().isEmpty()) {
                ctx.status(422);
                show(ctx, form.withErrors(e.errors()), null);
            } else if (e.kind() == ProblemKind.CONFLICT) {
                ctx.status(409);
                show(ctx, form.withGeneralError(e.getMessage()), null);
            } else {
                throw e;
            }
        }
    }

    /** A preview inside the form, refreshed until its dry run ended; then it stops the polling. */
    private void preview(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        DeploymentView d = deployments.get(user.accountId(), ctx.pathParam("id"));
        if (!d.state().isActive()) {
            ctx.status(TasksPage.STOP_POLLING);
        }
        pages.render(ctx, "deployments/preview.jte", detailPages.detail(user, d));
    }
}
