package io.conveyor.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rules about how main code is written that the compiler and the formatter do not check, over every module's
 * {@code src/main/java} (this test runs from common-model, one level below the repository root).
 */
class SourceRulesTest {

    /** A qualified class name in code: {@code java.util.Map}, {@code io.micrometer.core.instrument.Counter}. */
    private static final Pattern QUALIFIED_NAME =
            Pattern.compile("(?<![\\w.])(?:java|javax|jakarta|org|com|io)(?:\\.[a-z][a-z0-9_]*)+\\.[A-Z]\\w*");

    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    @Test
    void mainCodeImportsWhatItUsesInsteadOfQualifyingIt() throws IOException {
        List<Path> sources = mainSources();
        assertTrue(sources.size() > 50, "expected every module's main sources, found " + sources.size());
        List<String> found = new ArrayList<>();
        for (Path source : sources) {
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                String code = codeOf(lines.get(i));
                if (QUALIFIED_NAME.matcher(code).find()) {
                    found.add(source + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertEquals(List.of(), found, "import these classes instead of naming them in full");
    }

    /** The line without its comment, string literals, or an import or package statement. */
    private static String codeOf(String line) {
        String code = line.strip();
        if (code.startsWith("import ")
                || code.startsWith("package ")
                || code.startsWith("*")
                || code.startsWith("/*")
                || code.startsWith("//")) {
            return "";
        }
        code = STRING_LITERAL.matcher(code).replaceAll("\"\"");
        int comment = code.indexOf("//");
        return comment < 0 ? code : code.substring(0, comment);
    }

    private static List<Path> mainSources() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path main : modules.map(m -> m.resolve("src/main/java"))
                    .filter(Files::isDirectory)
                    .toList()) {
                try (Stream<Path> files = Files.walk(main)) {
                    files.filter(f -> f.toString().endsWith(".java")).forEach(sources::add);
                }
            }
        }
        return sources;
    }
}
