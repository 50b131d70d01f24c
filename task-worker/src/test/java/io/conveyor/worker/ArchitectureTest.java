package io.conveyor.worker;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;

import io.conveyor.testsupport.ArchitectureRules;

/** The worker's dependency rules: no package or bean cycles. */
class ArchitectureTest {

    private static final JavaClasses WORKER = ArchitectureRules.mainClasses("io.conveyor.worker");

    @Test
    void packagesFormNoCycle() {
        ArchitectureRules.noPackageCycles("io.conveyor.worker").check(WORKER);
    }

    @Test
    void beansFormNoCycle() {
        ArchitectureRules.noBeanCycles().check(WORKER);
    }
}
