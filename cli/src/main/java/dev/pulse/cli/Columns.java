package dev.pulse.cli;

import java.io.PrintWriter;
import java.util.List;

/** Rows printed as columns, like kubectl: each as wide as its widest cell plus 3, the last unpadded. */
public final class Columns {
    private Columns() {
    }

    public static void print(List<String[]> rows, PrintWriter out) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                b.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 3) + "s", row[i]));
            }
            out.println(b.toString().stripTrailing());
        }
    }
}
