package io.conveyor.artifact;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArtifactNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"3f2a6c1e-0b7d-4c55-9a41-0f0c1b2d3e4f.png", "report.csv", "a", "ünïcode.txt", "a b.jpg"})
    void acceptsPlainFileNames(String name) {
        assertTrue(ArtifactNames.isPlain(name), name);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                ".",
                "..",
                "../x",
                "..\\x",
                "a/b.png",
                "/etc/passwd",
                "a\\b.png",
                "x..png",
                ".hidden",
                ".x.png.0b7d.tmp",
                "C:x.png",
                "a\"b.csv",
                "line\nbreak.csv",
                "nul\u0000.png",
                "del\u007f.png",
                "c1\u0085.png"
            })
    void refusesPathsAndOddNames(String name) {
        assertFalse(ArtifactNames.isPlain(name), name);
    }

    @Test
    void refusesNullAndOverlongNames() {
        assertFalse(ArtifactNames.isPlain(null));
        assertTrue(ArtifactNames.isPlain("a".repeat(ArtifactNames.MAX_LENGTH)));
        assertFalse(ArtifactNames.isPlain("a".repeat(ArtifactNames.MAX_LENGTH + 1)));
    }
}
