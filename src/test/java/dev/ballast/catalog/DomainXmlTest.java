package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class DomainXmlTest {

    @Test
    void refusesADoctypeSoNoEntityCanReadHostFiles() {
        String xxe = "<?xml version='1.0'?><!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/shadow'>]>"
                + "<domain type='kvm'><name>&x;</name></domain>";
        assertThatThrownBy(() -> DomainXml.parse(xxe)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DOCTYPE");
    }

    @Test
    void refusesXmlThatIsNotADomain() {
        assertThatThrownBy(() -> DomainXml.parse("<network/>")).hasMessageContaining("root is <network>");
        assertThatThrownBy(() -> DomainXml.parse("<domain>")).hasMessageContaining("not well-formed");
    }

    @Test
    void canonicalFormIgnoresIndentationQuotesAndAttributeOrder() {
        String libvirt = "<domain type='kvm'>\n  <name>a b</name>\n  <devices>\n    <disk type='block' device='disk'/>\n"
                + "  </devices>\n</domain>\n";
        String ours = "<domain type=\"kvm\"><name>a b</name><devices><disk device=\"disk\" type=\"block\"/></devices></domain>";
        assertThat(DomainXml.canonical(libvirt)).isEqualTo(DomainXml.canonical(ours));
        assertThat(DomainXml.canonical(libvirt)).isNotEqualTo(DomainXml.canonical(ours.replace("a b", "ab")));
    }

    @Test
    void recognisesNovaAndOvirtMetadata() {
        assertThat(DomainXml.manager(DomainXml.parse("<domain><metadata><ovirt-vm:vm xmlns:ovirt-vm='http://ovirt.org/vm/1.0'/>"
                + "</metadata></domain>"))).isEqualTo("oVirt");
        assertThat(DomainXml.manager(DomainXml.parse("<domain><metadata><nova:instance "
                + "xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.1'/></metadata></domain>"))).isEqualTo("OpenStack nova");
        assertThat(DomainXml.manager(DomainXml.parse("<domain><metadata><app:x xmlns:app='http://example.com/app'/>"
                + "</metadata><description>http://ovirt.org/vm/</description></domain>"))).isNull();
    }

    @Test
    void hugepagesGoIntoAnExistingMemoryBacking() {
        Document document = DomainXml.parse("<domain><memory>1</memory><memoryBacking><nosharepages/></memoryBacking>"
                + "<vcpu>1</vcpu></domain>");
        DomainHugepagesStep step = new DomainHugepagesStep();
        DomainHugepagesStep.Params params = step.configure("step", Map.of("domain", "all")).params();
        assertThat(step.edit(document.getDocumentElement(), params)).extracting(DomainXmlStep.Change::actual)
                .containsExactly("memoryBacking without hugepages");
        assertThat(DomainXml.serialize(document)).contains("<memoryBacking><nosharepages/><hugepages/></memoryBacking><vcpu>");
    }
}
