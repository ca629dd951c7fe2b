package modprep.picture;

import java.util.HashMap;
import java.util.Map;
import modprep.readmodel.Neighbourhood;

/**
 * A module's neighbourhood as SVG: five columns (producers of producers, producers, the module,
 * consumers, consumers of consumers), each box naming its module and its status in words, coloured
 * by status, the locked ones outlined thickly and marked "locked"; a column that leaves modules out
 * ends with "+N more".
 */
public final class NeighbourhoodPicture {
    private static final int COLUMN = 176;
    private static final int BOX_W = 156;
    private static final int BOX_H = 40;
    private static final int ROW = 50;
    private static final int TOP = 30;

    private NeighbourhoodPicture() {
    }

    public static String svg(Neighbourhood hood) {
        int rows = 1;
        for (var column : hood.columns()) {
            rows = Math.max(rows, column.nodes().size() + (column.leftOut() > 0 ? 1 : 0));
        }
        int width = COLUMN * hood.columns().size();
        int height = TOP + rows * ROW + 4;
        var svg = new Svg("neighbourhood-picture", width, height, "Neighbourhood of " + hood.module(), description(hood));
        Map<String, double[]> at = new HashMap<>();
        for (int c = 0; c < hood.columns().size(); c++) {
            var column = hood.columns().get(c);
            for (int r = 0; r < column.nodes().size(); r++) {
                at.put(column.nodes().get(r).name(), new double[] {c * COLUMN + 8, TOP + r * ROW});
            }
        }
        svg.open("g", "pic-edges", null);
        for (var edge : hood.edges()) {
            double[] from = at.get(edge.producer());
            double[] to = at.get(edge.consumer());
            svg.line(from[0] + BOX_W, from[1] + BOX_H / 2.0, to[0], to[1] + BOX_H / 2.0, "pic-edge");
        }
        svg.close("g");
        for (int c = 0; c < hood.columns().size(); c++) {
            var column = hood.columns().get(c);
            svg.text(c * COLUMN + 8 + BOX_W / 2.0, 16, column.heading() + (c == 2 ? "" : " (" + column.total() + ")"), "pic-heading", "middle");
            for (int r = 0; r < column.nodes().size(); r++) {
                var node = column.nodes().get(r);
                double x = c * COLUMN + 8;
                double y = TOP + r * ROW;
                String status = node.status() == null ? "unknown" : node.status().code();
                svg.open("g", "pic-node pic-" + status + (node.locked() ? " pic-locked" : "") + (c == 2 ? " pic-centre" : ""),
                        "module=" + node.name());
                svg.rect(x, y, BOX_W, BOX_H, "pic-box", "status=" + status);
                svg.text(x + 8, y + 16, Svg.cut(node.name(), 20), "pic-name", "start");
                svg.text(x + 8, y + 32, Svg.cut((node.locked() ? "locked · " : "") + node.label(), 24), "pic-label", "start");
                svg.close("g");
            }
            if (column.leftOut() > 0) {
                double y = TOP + column.nodes().size() * ROW;
                svg.rect(c * COLUMN + 8, y, BOX_W, BOX_H, "pic-more", "left-out=" + column.leftOut());
                svg.text(c * COLUMN + 8 + BOX_W / 2.0, y + 25, "+" + column.leftOut() + " more", "pic-label", "middle");
            }
        }
        return svg.end();
    }

    private static String description(Neighbourhood hood) {
        var text = new StringBuilder();
        for (int c = 0; c < hood.columns().size(); c++) {
            if (c == 2) {
                continue;
            }
            var column = hood.columns().get(c);
            text.append(column.heading()).append(": ").append(column.total()).append(column.leftOut() > 0
                    ? " (" + column.nodes().size() + " shown). " : ". ");
        }
        return text.append("The table below lists the modules shown, with their statuses.").toString();
    }
}
