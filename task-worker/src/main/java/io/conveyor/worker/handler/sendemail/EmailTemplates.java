package io.conveyor.worker.handler.sendemail;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.artifact.ArtifactNames;
import io.conveyor.worker.handler.NonRetryableException;
import io.quarkus.qute.Engine;
import io.quarkus.qute.HtmlEscaper;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateException;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.TemplateLocator;
import io.quarkus.qute.Variant;

/**
 * The email templates: Qute files in the deployment's directory ({@code CONVEYOR_EMAIL_TEMPLATES}), then the built-in
 * ones (resources {@code email-templates/}). A template {@code <name>} is up to three files: {@code <name>.html} (the
 * HTML part; model values are HTML-escaped), {@code <name>.txt} (the text part) and {@code <name>.subject.txt} (the
 * subject). Rendering is strict: a value the template uses and the model lacks fails, rather than sending a
 * placeholder. Templates may include each other by file name ({@code {#include layout.html /}}).
 *
 * <p>A parsed template is kept until the worker restarts; a template added meanwhile is found on first use. The engine
 * resolves maps, lists and plain values only (no reflection): a model is JSON.
 */
@ApplicationScoped
public class EmailTemplates {

    private static final String BUILT_IN = "email-templates/";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final Optional<Path> dir;
    private final Engine engine;

    public EmailTemplates(EmailConfig config) {
        this.dir = config.templatesDir().map(d -> d.toAbsolutePath().normalize());
        this.engine = Engine.builder()
                .addDefaults()
                .strictRendering(true)
                .removeStandaloneLines(true)
                .addResultMapper(new HtmlEscaper(List.of(Variant.TEXT_HTML)))
                .addLocator(this::locate)
                .build();
    }

    /**
     * An email as a template renders it.
     *
     * @param subject the rendered {@code .subject.txt} on one line, or null when the template has none
     * @param html    the rendered {@code .html}, or null
     * @param text    the rendered {@code .txt}, or null; {@code html} or {@code text} is there
     */
    public record Rendered(String subject, String html, String text) {}

    /**
     * Renders template {@code name} with {@code model}.
     *
     * @throws NonRetryableException when there is no such template, it does not parse, or the model lacks a value it
     *     uses: another attempt would fail the same way
     */
    public Rendered render(String name, Map<String, Object> model) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new NonRetryableException("'" + name + "' cannot name an email template");
        }
        Template html = template(name, name + ".html");
        Template text = template(name, name + ".txt");
        if (html == null && text == null) {
            throw new NonRetryableException("No email template '" + name + "': neither " + name + ".html nor " + name
                    + ".txt is in "
                    + dir.map(d -> "CONVEYOR_EMAIL_TEMPLATES (" + d + ")")
                            .orElse("the worker (CONVEYOR_EMAIL_TEMPLATES is not set)")
                    + " or among the built-in templates");
        }
        Template subject = template(name, name + ".subject.txt");
        Map<String, Object> data = model == null ? Map.of() : model;
        return new Rendered(
                subject == null ? null : oneLine(render(name, subject, data)),
                html == null ? null : render(name, html, data),
                text == null ? null : render(name, text, data));
    }

    private Template template(String name, String id) {
        try {
            return engine.getTemplate(id);
        } catch (TemplateException e) {
            throw new NonRetryableException("Email template '" + name + "' is broken: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("Email template " + id + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String render(String name, Template template, Map<String, Object> model) {
        TemplateInstance instance = template.instance();
        model.forEach(instance::data);
        try {
            return instance.render();
        } catch (TemplateException e) {
            throw new NonRetryableException(
                    "Email template '" + name + "' cannot be rendered with this model: " + e.getMessage(), e);
        }
    }

    /** A subject is one header line: line breaks and runs of blanks become one space. */
    private static String oneLine(String subject) {
        return subject.strip().replaceAll("\\s+", " ");
    }

    /** A file of the directory, else a built-in resource; ids are plain file names only. */
    private Optional<TemplateLocator.TemplateLocation> locate(String id) {
        if (!ArtifactNames.isPlain(id)) {
            return Optional.empty();
        }
        Variant variant = Variant.forContentType(id.endsWith(".html") ? Variant.TEXT_HTML : Variant.TEXT_PLAIN);
        if (dir.isPresent()) {
            Path file = dir.get().resolve(id);
            if (file.getParent().equals(dir.get()) && Files.isRegularFile(file)) {
                try {
                    return Optional.of(location(Files.readString(file, StandardCharsets.UTF_8), variant));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        try (InputStream in = EmailTemplates.class.getClassLoader().getResourceAsStream(BUILT_IN + id)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(location(new String(in.readAllBytes(), StandardCharsets.UTF_8), variant));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TemplateLocator.TemplateLocation location(String content, Variant variant) {
        return new TemplateLocator.TemplateLocation() {
            @Override
            public Reader read() {
                return new StringReader(content);
            }

            @Override
            public Optional<Variant> getVariant() {
                return Optional.of(variant);
            }
        };
    }
}
