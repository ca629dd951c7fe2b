package modprep.platform;

/** One Java source file of a module: its path inside the module folder and its text. */
public record SourceFile(String path, String content) {
}
