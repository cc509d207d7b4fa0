package dev.ballast.web;

import java.util.Comparator;
import java.util.List;

import dev.ballast.input.QueryParams;
import dev.ballast.audit.AuditFilter;
import dev.ballast.audit.AuditLog;
import dev.ballast.inventory.HostName;
import dev.ballast.inventory.HostView;
import dev.ballast.inventory.Inventory;
import dev.ballast.inventory.Selector;
import dev.ballast.problem.FieldError;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.remote.PinnedHostKey;
import dev.ballast.plan.Plans;
import dev.ballast.rollback.RollbackPoints;
import dev.ballast.rollout.PendingRestarts;
import dev.ballast.rollout.RolloutQueries;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The operator UI: server-rendered pages over the same services as the API. A page needs a logged-in
 * user (anyone else is sent to the login page); what a page can change, it changes through the API with
 * the session's CSRF token, so roles and audit apply exactly as for scripts.
 */
@Path("/")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class Pages {

    private final SecurityIdentity identity;
    private final WebQueries queries;
    private final RolloutQueries rollouts;
    private final Plans plans;
    private final Inventory inventory;
    private final RollbackPoints rollbackPoints;
    private final PendingRestarts pendingRestarts;
    private final SweepPanels sweepPanels;
    private final AuditLog audit;
    private final HostQueries hostQueries;
    private final Template login;
    private final Template dashboard;
    private final Template rollout;
    private final Template host;
    private final Template hostsPage;
    private final Template rolloutHost;
    private final Template sweepsPage;
    private final Template plansPage;
    private final Template auditPage;

    Pages(SecurityIdentity identity, WebQueries queries, RolloutQueries rollouts, Plans plans, Inventory inventory,
            RollbackPoints rollbackPoints, PendingRestarts pendingRestarts, SweepPanels sweepPanels, AuditLog audit, Template login,
            Template dashboard, Template rollout, Template host, @io.quarkus.qute.Location("rollout-host.html") Template rolloutHost,
            @io.quarkus.qute.Location("sweeps.html") Template sweepsPage,
            @io.quarkus.qute.Location("plans.html") Template plansPage, @io.quarkus.qute.Location("audit.html") Template auditPage,
            HostQueries hostQueries, @io.quarkus.qute.Location("hosts.html") Template hostsPage) {
        this.hostQueries = hostQueries;
        this.hostsPage = hostsPage;
        this.identity = identity;
        this.queries = queries;
        this.rollouts = rollouts;
        this.plans = plans;
        this.inventory = inventory;
        this.rollbackPoints = rollbackPoints;
        this.pendingRestarts = pendingRestarts;
        this.sweepPanels = sweepPanels;
        this.audit = audit;
        this.login = login;
        this.dashboard = dashboard;
        this.rollout = rollout;
        this.host = host;
        this.rolloutHost = rolloutHost;
        this.sweepsPage = sweepsPage;
        this.plansPage = plansPage;
        this.auditPage = auditPage;
    }

    @GET
    @Path("login")
    public TemplateInstance login() {
        return login.instance();
    }

    /** Rollout states that wait for an operator; the dashboard lists this many of them, and of quarantined hosts, then counts the rest. */
    private static final List<String> ATTENTION = List.of("HALTED", "AWAITING_APPROVAL", "PAUSED");
    private static final int ATTENTION_SHOWN = 50;

    @GET
    public Response dashboard() {
        if (identity.isAnonymous()) {
            return toLogin();
        }
        WebQueries.Fleet fleet = queries.fleet();
        List<WebQueries.RolloutLine> attention = queries.rollouts(ATTENTION, ATTENTION_SHOWN);
        List<String> quarantined = queries.quarantinedHosts(ATTENTION_SHOWN);
        return page(dashboard, "Dashboard")
                .data("fleet", fleet)
                .data("plans", plans.list().stream().collect(java.util.stream.Collectors.toMap(p -> p.name(), p -> p,
                        (a, b) -> a.version() >= b.version() ? a : b, java.util.TreeMap::new)).values())
                .data("attention", attention)
                .data("attentionMore", queries.countRollouts(ATTENTION) - attention.size())
                .data("quarantined", quarantined)
                .data("quarantinedMore", fleet.quarantined() - quarantined.size())
                .data("drift", queries.sweepsWithNewDrift())
                .data("running", queries.rollouts(List.of("PENDING", "RUNNING"), 50))
                .data("recent", queries.rollouts(List.of(), 15))
                .data("failures", queries.recentFailures(20))
                .render();
    }

    @GET
    @Path("rollouts/{id}")
    public Response rollout(@PathParam("id") String id) {
        if (identity.isAnonymous()) {
            return toLogin();
        }
        long rolloutId = QueryParams.id("id", id);
        return page(rollout, "Rollout " + rolloutId).data("r", rollouts.get(rolloutId)).render();
    }

    /** One host in one rollout: every attempt, each check, step and rollback with what it saw, changed and printed. */
    @GET
    @Path("rollouts/{id}/hosts/{host}")
    public Response rolloutHost(@PathParam("id") String id, @PathParam("host") String name) {
        if (identity.isAnonymous()) {
            return toLogin();
        }
        long rolloutId = QueryParams.id("id", id);
        HostName valid = HostName.parse("host", name);
        return page(rolloutHost, valid.value() + " in rollout " + rolloutId).data("r", rollouts.get(rolloutId))
                .data("h", HostHistory.of(rollouts.host(rolloutId, valid.value()))).render();
    }

    /**
     * The hosts a selector matches, a page at a time, with their states. A selector the API refuses is
     * shown with the API's words beside the field, and the page lists no host.
     */
    @GET
    @Path("hosts")
    public Response hosts(@QueryParam("selector") String selector, @QueryParam("page") String page, @QueryParam("size") String size) {
        if (identity.isAnonymous()) {
            return toLogin();
        }
        String text = selector == null ? "" : selector;
        PageBuilder builder = page(hostsPage, "Hosts").data("selector", text);
        try {
            Inventory.Page found = inventory.list(Selector.parse("selector", text), QueryParams.number("page", page, 0, 0, 4_000_000),
                    QueryParams.number("size", size, 50, 1, 500));
            return builder.data("found", found).data("lines", hostQueries.lines(found.items())).data("error", null).render();
        } catch (InvalidInputException e) {
            return builder.data("found", null).data("lines", List.of()).data("error", e.errors().stream()
                    .map(FieldError::toString).collect(java.util.stream.Collectors.joining("; "))).render();
        }
    }

    @GET
    @Path("hosts/{name}")
    public Response host(@PathParam("name") String name) {
        if (identity.isAnonymous()) {
            return toLogin();
        }
        HostName valid = HostName.parse("name", name);
        HostView view = inventory.get(valid);
        return page(host, valid.value()).data("host", view)
                .data("keys", view.quarantine() == null ? null : new Keys(view.hostKey(), view.quarantine().presentedHostKey()))
                .data("steps", hostQueries.steps(valid.value()))
                .data("tasks", queries.tasksOf(valid.value(), 30))
                .data("points", rollbackPoints.ofHost(valid.value()))
                .data("rollbacks", hostQueries.rollbacks(valid.value()))
                .data("pendingRestarts", pendingRestarts.ofHost(valid.value()))
                .render();
    }

    /** A quarantined host's pinned and presented keys, with their fingerprints as ssh-keygen -lf prints them. */
    public record Keys(String pinned, String presented) {
        public String pinnedFingerprint() {
            return pinned == null ? "none pinned" : PinnedHostKey.parse("hostKey", pinned).fingerprint();
        }

        public String presentedFingerprint() {
            return PinnedHostKey.parse("presentedHostKey", presented).fingerprint();
        }
    }

    @GET
    @Path("sweeps")
    public Response sweeps() {
        if (identity.isAnonymous()) {
            return toLogin();
        }
        return page(sweepsPage, "Sweeps").data("panels", sweepPanels.all())
                .data("plans", plans.list().stream().map(p -> p.name()).distinct().sorted().toList()).render();
    }

    @GET
    @Path("plans")
    public Response plans() {
        if (identity.isAnonymous()) {
            return toLogin();
        }
        return page(plansPage, "Plans").data("plans", plans.list()).render();
    }

    @GET
    @Path("audit")
    public Response audit(@BeanParam AuditFilter.Query query) {
        if (identity.isAnonymous()) {
            return toLogin();
        }
        AuditFilter filter = query.filter();
        return page(auditPage, "Audit").data("events", audit.list(filter, null, 200)).data("filter", filter).render();
    }

    /** A page for the logged-in user, with who they are and their CSRF token for the header. */
    private PageBuilder page(Template template, String title) {
        return new PageBuilder(identity, template.data("title", title));
    }

    private static final class PageBuilder {
        private final SecurityIdentity identity;
        private final TemplateInstance instance;

        PageBuilder(SecurityIdentity identity, TemplateInstance instance) {
            this.identity = identity;
            this.instance = instance;
        }

        PageBuilder data(String key, Object value) {
            instance.data(key, value);
            return this;
        }

        Response render() {
            String role = java.util.Arrays.stream(dev.ballast.security.Role.values()).sorted(Comparator.reverseOrder())
                    .filter(r -> identity.hasRole(r.id())).findFirst().map(dev.ballast.security.Role::id).orElse("");
            return Response.ok(instance.data("user", identity.getPrincipal().getName()).data("role", role)
                    .data("operator", identity.hasRole(dev.ballast.security.Role.OPERATOR_NAME))
                    .data("admin", identity.hasRole(dev.ballast.security.Role.ADMIN_NAME))
                    .data("csrf", identity.getAttribute("ballast.csrf")).render()).type(MediaType.TEXT_HTML).build();
        }
    }


    /**
     * A relative Location: the absolute one JAX-RS makes is built from the request's Host header, so
     * {@code Host: evil.example} sent the browser to http://evil.example/login.
     */
    private static Response toLogin() {
        return Response.status(Response.Status.SEE_OTHER).header(HttpHeaders.LOCATION, "/login").build();
    }
}
