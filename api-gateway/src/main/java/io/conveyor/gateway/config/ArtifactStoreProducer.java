package io.conveyor.gateway.config;

import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.conveyor.artifact.ArtifactStore;
import io.conveyor.artifact.LocalArtifactStore;

/** The store artifacts are served from: the workers' directory ({@code CONVEYOR_ARTIFACT_DIR}). */
@ApplicationScoped
public class ArtifactStoreProducer {

    @Produces
    @Singleton
    ArtifactStore artifactStore(GatewayConfig config) {
        return new LocalArtifactStore(Path.of(config.artifacts().dir()));
    }
}
