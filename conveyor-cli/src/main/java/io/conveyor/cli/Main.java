package io.conveyor.cli;

import java.io.Console;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;

/**
 * {@code java -jar conveyor-cli-all.jar ARGS}, which {@code bin/conveyor} runs. The launcher tells whether standard
 * error is a terminal ({@code -Dconveyor.stderr.tty}), which Java cannot see itself.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, System.out.charset()), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, System.err.charset()), true);
        System.exit(Cli.run(System.getenv(), System.in, out, err, stderrIsTerminal(), args));
    }

    private static boolean stderrIsTerminal() {
        String told = System.getProperty("conveyor.stderr.tty");
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        Console console = System.console();
        return console != null && console.isTerminal();
    }
}
