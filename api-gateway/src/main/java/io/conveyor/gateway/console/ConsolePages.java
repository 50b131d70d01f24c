package io.conveyor.gateway.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import io.conveyor.gateway.security.ApiKeys;

/**
 * What every console page shares: the layout's data (who is looking, which page, a notice), and the gate in front
 * of every page: no identity gets the sign-in form, a key without {@code reader} a 403 page saying why.
 */
@ApplicationScoped
public class ConsolePages {

    private final ConsoleTemplates templates;
    private final ApiKeys keys;

    public ConsolePages(ConsoleTemplates templates, ApiKeys keys) {
        this.templates = templates;
        this.keys = keys;
    }

    /** The answer for a viewer who may not see {@code path}, or null when they may. */
    public Response refusal(Viewer viewer, String path) {
        if (viewer.anonymous()) {
            return Html.seeOther("/console/login?next=" + URLEncoder.encode(path, StandardCharsets.UTF_8));
        }
        if (!viewer.reads()) {
            return Html.page(
                    403,
                    templates.render(
                            "denied",
                            data(viewer, "denied", "Not allowed", null)
                                    .with(
                                            "why",
                                            "The key of " + viewer.name() + " has the role producer. The console "
                                                    + "needs reader (to look) or operator (to act).")
                                    .map()));
        }
        return null;
    }

    /** True when sign-ins are checked against a keys file (else only the admin token signs in). */
    public boolean keysConfigured() {
        return keys.configured();
    }

    public String render(String template, Data data) {
        return templates.render(template, data.map());
    }

    /** A page's data, starting with the layout's. */
    public static Data data(Viewer viewer, String page, String title, String notice) {
        return new Data()
                .with("viewer", viewer)
                .with("page", page)
                .with("title", title)
                .with("notice", notice);
    }

    /** A template's data, built up fluently. */
    public static final class Data {

        private final Map<String, Object> values = new HashMap<>();

        public Data with(String name, Object value) {
            values.put(name, value);
            return this;
        }

        Map<String, Object> map() {
            return values;
        }
    }
}
