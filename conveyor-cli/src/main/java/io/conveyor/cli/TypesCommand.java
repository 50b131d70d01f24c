package io.conveyor.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code conveyor types}: the gateway's task types; {@code -o json} adds each payload's JSON schema. */
@Command(
        name = "types",
        description = "List the task types with their queue and defaults; -o json adds each payload's JSON schema.",
        mixinStandardHelpOptions = true)
final class TypesCommand implements Callable<Integer> {

    @ParentCommand
    ConveyorCommand conveyor;

    @Override
    public Integer call() {
        conveyor.printer().types(conveyor.client().taskTypes());
        return ExitCodes.OK;
    }
}
