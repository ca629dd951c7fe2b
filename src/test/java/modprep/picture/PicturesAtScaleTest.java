package modprep.picture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import modprep.environment.ModuleGraph;
import modprep.readmodel.Neighbourhood;
import modprep.readmodel.Progress;
import modprep.readmodel.Timeline;
import modprep.status.ModuleStatus;
import modprep.status.VersionStatus;
import org.junit.jupiter.api.Test;

/** The pictures stay readable at 10,000 modules: capped columns with counts of what is left out, bars and points thinned. */
class PicturesAtScaleTest {
    private static final int MODULES = 10_000;
    private static final Pattern BOX = Pattern.compile("<g class=\"pic-node [^\"]*\" data-module=\"");

    /** Four layers (10 roots, 100, 1,000, 8,890), each module using two of the layer above, from a fixed seed. */
    private static Map<String, List<String>> layeredGraph() {
        int[] layers = {10, 100, 1_000, MODULES - 1_110};
        var random = new Random(13);
        var producers = new HashMap<String, List<String>>();
        int first = 0;
        int previousFirst = 0;
        int previousSize = 0;
        for (int size : layers) {
            for (int i = first; i < first + size; i++) {
                var uses = new LinkedHashSet<String>();
                while (previousSize > 0 && uses.size() < 2) {
                    uses.add("M" + (previousFirst + random.nextInt(previousSize)));
                }
                producers.put("M" + i, List.copyOf(uses));
            }
            previousFirst = first;
            previousSize = size;
            first += size;
        }
        return producers;
    }

    /** Most modules not prepared; every 97th failed, so that failures must come first in a capped column. */
    private static Map<String, VersionStatus> statuses(Set<String> modules) {
        var statuses = new HashMap<String, VersionStatus>();
        for (String m : modules) {
            boolean failed = Integer.parseInt(m.substring(1)) % 97 == 0;
            statuses.put(m, new VersionStatus(failed ? ModuleStatus.FAILED : ModuleStatus.NOT_PREPARED, "11.17.0", null, "11.16.1", false));
        }
        return statuses;
    }

    /** The modules k steps out, found by a plain breadth-first walk (not the code under test). */
    private static List<Set<String>> rings(ModuleGraph graph, String start, boolean producers) {
        var seen = new LinkedHashSet<String>(List.of(start));
        var rings = new ArrayList<Set<String>>();
        Set<String> frontier = Set.of(start);
        for (int depth = 1; depth <= 2; depth++) {
            var next = new LinkedHashSet<String>();
            for (String m : frontier) {
                for (String n : producers ? graph.producersOf(m) : graph.consumersOf(m)) {
                    if (!seen.contains(n)) {
                        next.add(n);
                    }
                }
            }
            rings.add(next);
            frontier = next;
            seen.addAll(next); // both directions share `seen` in the picture; here each direction alone
        }
        return rings;
    }

    @Test
    void a_neighbourhood_in_a_10000_module_graph_shows_at_most_eight_modules_a_column_and_counts_the_rest() {
        var graph = new ModuleGraph(layeredGraph());
        assertEquals(MODULES, graph.modules().size());
        var statuses = statuses(graph.modules());
        for (String module : List.of("M3", "M50", "M500", "M9999")) {
            var hood = Neighbourhood.of(graph, module, statuses, names -> Set.of());
            var producers = rings(graph, module, true);
            var consumers = rings(graph, module, false);
            var expected = List.of(producers.get(1).size(), producers.get(0).size(), 1, consumers.get(0).size(), consumers.get(1).size());
            for (int c = 0; c < 5; c++) {
                var column = hood.columns().get(c);
                assertTrue(column.nodes().size() <= Neighbourhood.CAP, module + " column " + c);
                assertEquals((int) expected.get(c), column.total(), module + " column " + c + ": shown + left out = all of that depth");
            }
            String svg = NeighbourhoodPicture.svg(hood);
            int boxes = (int) BOX.matcher(svg).results().count();
            int shown = hood.columns().stream().mapToInt(c -> c.nodes().size()).sum();
            assertEquals(shown, boxes, module);
            assertTrue(boxes <= 4 * Neighbourhood.CAP + 1, module + ": " + boxes + " boxes");
            assertTrue(svg.length() < 40_000, module + ": " + svg.length() + " characters of SVG");
            for (var column : hood.columns()) {
                if (column.leftOut() > 0) {
                    assertTrue(svg.contains(">+" + column.leftOut() + " more<"), module + " says how many it leaves out");
                }
            }
        }
        // M3, a root: its 2-deep consumers run into the hundreds, yet the picture holds 8 of them, failures first.
        var root = Neighbourhood.of(graph, "M3", statuses, names -> Set.of());
        var far = root.columns().get(4);
        assertTrue(far.leftOut() > 100, "left out: " + far.leftOut());
        long failedInRing = rings(graph, "M3", false).get(1).stream().filter(m -> statuses.get(m).status() == ModuleStatus.FAILED).count();
        long failedShown = far.nodes().stream().filter(n -> n.status() == ModuleStatus.FAILED).count();
        assertEquals(Math.min(Neighbourhood.CAP, failedInRing), failedShown, "failures are shown before the others");
    }

    @Test
    void locked_modules_are_marked_in_words_and_outlined_and_only_the_shown_ones_are_asked_about() {
        var graph = new ModuleGraph(layeredGraph());
        var asked = new ArrayList<String>();
        var hood = Neighbourhood.of(graph, "M50", statuses(graph.modules()), names -> {
            asked.addAll(names);
            return Set.of("M50");
        });
        assertTrue(asked.size() <= 4 * Neighbourhood.CAP + 1, "asked about " + asked.size());
        String svg = NeighbourhoodPicture.svg(hood);
        assertTrue(svg.contains("pic-locked pic-centre\" data-module=\"M50\""), svg);
        assertTrue(svg.contains(">locked · not prepared<"), "told in words, not only by the outline");
    }

    @Test
    void a_run_of_10000_groups_is_drawn_in_at_most_fifty_bars_whose_counts_add_up() {
        var start = Instant.parse("2026-11-29T10:00:00Z");
        var groups = new ArrayList<Timeline.Bar>();
        for (int g = 1; g <= MODULES; g++) {
            var at = start.plusSeconds(g);
            groups.add(new Timeline.Bar(g, g, at, at.plusMillis(900), 1, g % 250 == 0 ? 0 : 1, g % 250 == 0 ? 1 : 0, 0));
        }
        var timeline = Timeline.of(1, start, null, start.plusSeconds(MODULES + 5), MODULES, groups);
        assertEquals(Timeline.MAX_BARS, timeline.bars().size());
        assertEquals("groups 1–200", timeline.bars().get(0).label());
        assertEquals(MODULES, timeline.bars().stream().mapToInt(Timeline.Bar::modules).sum());
        assertEquals(MODULES / 250, timeline.bars().stream().mapToInt(Timeline.Bar::failed).sum());
        String svg = TimelinePicture.svg(timeline, Instant::toString);
        assertEquals(Timeline.MAX_BARS, Pattern.compile("data-group=").matcher(svg).results().count());
        assertTrue(svg.contains("✕ 1 failed"), "a bar with a failure says so");
    }

    @Test
    void prepared_over_time_for_10000_groups_is_at_most_121_points_ending_at_the_true_count() {
        var start = Instant.parse("2026-11-29T10:00:00Z");
        var saved = new ArrayList<Progress.Point>();
        for (int g = 1; g <= MODULES; g++) {
            saved.add(new Progress.Point(start.plusSeconds(g), 1));
        }
        var progress = Progress.of(1, MODULES, start, start.plusSeconds(MODULES), saved, null);
        assertTrue(progress.points().size() <= Progress.MAX_POINTS + 1, progress.points().size() + " points");
        assertEquals(MODULES, progress.prepared());
        String plain = ProgressPicture.svg(progress, Instant::toString);
        assertFalse(plain.contains("pic-projection"), "no ETA, no projection");
        String withEta = ProgressPicture.svg(progress.withExpectedEnd(start.plusSeconds(MODULES + 600)), Instant::toString);
        assertTrue(withEta.contains("pic-projection") && withEta.contains("expected end"), "the ETA hook draws the projection");
    }

    @Test
    void every_picture_is_an_image_with_a_title_and_a_description_and_no_inline_style_or_script() {
        var graph = new ModuleGraph(Map.of("A", List.of(), "B<&>", List.of("A")));
        var start = Instant.parse("2026-11-29T10:00:00Z");
        var statuses = statuses(Set.of()); // unknown statuses are drawn as "unknown"
        var pictures = List.of(NeighbourhoodPicture.svg(Neighbourhood.of(graph, "A", statuses, names -> Set.of())),
                TimelinePicture.svg(Timeline.of(2, start, null, start.plusSeconds(9), 1,
                        List.of(new Timeline.Bar(1, 1, start, null, 2, 0, 0, 0))), Instant::toString),
                ProgressPicture.svg(Progress.of(2, 2, start, start.plusSeconds(9), List.of(), null), Instant::toString));
        for (String svg : pictures) {
            assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"picture\" role=\"img\""), svg);
            assertTrue(svg.contains("<title id=") && svg.contains("<desc id="), svg);
            assertFalse(svg.contains("style=") || svg.contains("<script") || svg.contains(" on"), svg);
        }
        assertTrue(pictures.get(0).contains("B&lt;&amp;&gt;"), "names are escaped");
        assertTrue(pictures.get(1).contains(">in progress<"), "the group in progress says so");
    }
}
