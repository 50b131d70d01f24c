package io.conveyor.gateway.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.qute.Engine;
import io.quarkus.qute.HtmlEscaper;
import io.quarkus.qute.ReflectionValueResolver;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.TemplateLocator;
import io.quarkus.qute.Variant;

/**
 * The console's Qute engine: templates under {@code console/} on the class path, every value HTML-escaped, strict
 * rendering (a misspelt name fails the render, and the test that opens the page). Its own engine rather than the
 * quarkus-qute extension: see api-gateway/pom.xml.
 */
@ApplicationScoped
public class ConsoleTemplates {

    private static final String ROOT = "console/";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*(\\.html)?");

    private final Engine engine = Engine.builder()
            .addDefaults()
            .addValueResolver(new ReflectionValueResolver())
            .strictRendering(true)
            .removeStandaloneLines(true)
            .addResultMapper(new HtmlEscaper(List.of(Variant.TEXT_HTML)))
            .addLocator(ConsoleTemplates::locate)
            .build();

    /** Renders template {@code name} ({@code console/<name>.html}) with {@code data}. */
    public String render(String name, Map<String, Object> data) {
        TemplateInstance instance = engine.getTemplate(name + ".html").instance();
        data.forEach(instance::data);
        return instance.render();
    }

    private static Optional<TemplateLocator.TemplateLocation> locate(String id) {
        String file = id.endsWith(".html") ? id : id + ".html";
        if (!NAME.matcher(file).matches()) {
            return Optional.empty();
        }
        try (InputStream in = ConsoleTemplates.class.getClassLoader().getResourceAsStream(ROOT + file)) {
            if (in == null) {
                return Optional.empty();
            }
            String content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Optional.of(new TemplateLocator.TemplateLocation() {
                @Override
                public Reader read() {
                    return new StringReader(content);
                }

                @Override
                public Optional<Variant> getVariant() {
                    return Optional.of(Variant.forContentType(Variant.TEXT_HTML));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
