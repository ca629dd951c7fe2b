package modprep.platform;

/** A javac error, pinned on the module and file it belongs to. */
public record CompileDiagnostic(String module, String file, long line, String message) {
    /** The way javac itself prints it: {@code path:line: error: message}. */
    public String render() {
        return (file == null ? module : file) + (line > 0 ? ":" + line : "") + ": error: " + message;
    }
}
