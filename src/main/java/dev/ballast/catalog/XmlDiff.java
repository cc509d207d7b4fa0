package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.List;


import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

/**
 * The lines two domain XML texts differ in, as an operator reads a unified diff ({@code -} only in the
 * first, {@code +} only in the second), both pretty-printed from their canonical form so that formatting
 * never shows as a change, and with VNC/SPICE passwords masked by attribute, never shown.
 */
final class XmlDiff {

    private static final int MAX_LINES = 20;

    private XmlDiff() {
    }

    static String of(String from, String to) {
        List<String> a = lines(from);
        List<String> b = lines(to);
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                i++;
                j++;
            } else if (j == b.size() || i < a.size() && common[i + 1][j] >= common[i][j + 1]) {
                out.add("- " + a.get(i++).strip());
            } else {
                out.add("+ " + b.get(j++).strip());
            }
        }
        if (out.size() > MAX_LINES) {
            int more = out.size() - MAX_LINES;
            out = new ArrayList<>(out.subList(0, MAX_LINES));
            out.add("(" + more + " more lines differ)");
        }
        return String.join("\n", out);
    }

    private static List<String> lines(String xml) {
        Document document = DomainXml.parse(DomainXml.canonical(xml));
        mask(document.getDocumentElement());
        return DomainXml.indented(document).lines().filter(l -> !l.isBlank()).toList();
    }

    private static void mask(Element element) {
        NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Attr attribute = (Attr) attributes.item(i);
            if (attribute.getName().equals("passwd")) {
                attribute.setValue("********");
            }
        }
        NodeList children = element.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element child) {
                mask(child);
            }
        }
    }
}
