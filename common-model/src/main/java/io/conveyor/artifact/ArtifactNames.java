package io.conveyor.artifact;

/**
 * What a task's result may name as its artifact: a plain file name, never a path. Checked before a name is written
 * or served, so a result that names {@code ../x} or {@code /etc/passwd} reaches no file. Pure.
 */
public final class ArtifactNames {

    /** Longest name: what common file systems allow for one path segment. */
    public static final int MAX_LENGTH = 255;

    private ArtifactNames() {}

    /**
     * True for a plain file name: 1 to 255 characters, no separator ({@code /}, {@code \}, {@code :}), no
     * {@code ..}, no control character, no double quote (it is sent in {@code Content-Disposition}), and not hidden
     * (a leading dot: the local store's files being written start with one).
     */
    public static boolean isPlain(String name) {
        if (name == null
                || name.isEmpty()
                || name.length() > MAX_LENGTH
                || name.startsWith(".")
                || name.contains("..")
                || name.isBlank()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c == ':' || c == '"' || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }
}
