package io.conveyor.model;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * common-model's dependency rules: its packages form no cycle, and it stays a plain library that neither app's
 * code nor a Quarkus runtime leaks into. (It cannot use test-support's rules: test-support depends on it.)
 */
class ArchitectureTest {

    private static final JavaClasses MODEL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.conveyor");

    @Test
    void packagesFormNoCycle() {
        slices().matching("io.conveyor.(**)").should().beFreeOfCycles().check(MODEL);
    }

    @Test
    void knowsNeitherAppNorQuarkus() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.conveyor.gateway..", "io.conveyor.worker..", "io.quarkus..")
                .check(MODEL);
    }
}
