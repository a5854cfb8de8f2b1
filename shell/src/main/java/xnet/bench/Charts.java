package xnet.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * PNG charts of a results folder, drawn like the study's figures: the measure against the rule
 * count (or the message size), one line per dataplane (x values as evenly spaced categories, so
 * 0..900 and 10k..1M share one axis), or bars where there is one value per dataplane.
 */
final class Charts {

    private Charts() {
    }

    static void lines(Path png, String title, String xLabel, String yLabel, List<Measurement> rows, boolean ratio)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Measurement m : rows) {
            if (!m.ran()) {
                continue;
            }
            double y = ratio && m.ratio() != null ? m.ratio().median() : m.stats().median();
            data.addValue(y, m.dataplane(), label(m.x()));
        }
        JFreeChart chart = ChartFactory.createLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true,
                false, false);
        style(chart);
        LineAndShapeRenderer renderer = (LineAndShapeRenderer) chart.getCategoryPlot().getRenderer();
        renderer.setDefaultShapesVisible(true);
        for (int i = 0; i < data.getRowCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 540);
    }

    static void bars(Path png, String title, String yLabel, List<Measurement> rows) throws IOException {
        System.setProperty("java.awt.headless", "true");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Measurement m : rows) {
            if (m.ran()) {
                data.addValue(m.stats().median(), yLabel, m.dataplane());
            }
        }
        JFreeChart chart = ChartFactory.createBarChart(title, "", yLabel, data, PlotOrientation.VERTICAL, false, false,
                false);
        style(chart);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 540);
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }

    static String label(long x) {
        return x >= 1_000_000 && x % 1_000_000 == 0 ? x / 1_000_000 + "M" : x >= 10_000 && x % 1000 == 0 ? x / 1000 + "k"
                : Long.toString(x);
    }
}
