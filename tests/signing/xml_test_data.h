// A small report document and its schema, shared by the XML tests: a namespaced root with
// a version attribute, repeated children, a typed date, a restricted enumeration and room
// for the enveloped ds:Signature (in the shape of the reports and manifests to come).
#pragma once

#include <string>
#include <utility>

#include "rubrica/signing/xml_document.h"

namespace rubrica::signing::testing {

inline constexpr const char* kNs = "urn:rubrica:test:reporte:1";

inline constexpr const char* kXsd = R"(<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:rubrica:test:reporte:1"
           xmlns:r="urn:rubrica:test:reporte:1" elementFormDefault="qualified">
  <xs:element name="reporte">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="titulo" type="xs:string"/>
        <xs:element name="fecha" type="xs:date"/>
        <xs:element name="firma" maxOccurs="unbounded">
          <xs:complexType>
            <xs:simpleContent>
              <xs:extension base="xs:string">
                <xs:attribute name="resultado" use="required">
                  <xs:simpleType>
                    <xs:restriction base="xs:string">
                      <xs:enumeration value="valida"/>
                      <xs:enumeration value="invalida"/>
                    </xs:restriction>
                  </xs:simpleType>
                </xs:attribute>
              </xs:extension>
            </xs:simpleContent>
          </xs:complexType>
        </xs:element>
        <xs:any namespace="http://www.w3.org/2000/09/xmldsig#" processContents="lax" minOccurs="0"/>
      </xs:sequence>
      <xs:attribute name="version" type="xs:string" use="required"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
)";

inline XmlElement Report(std::string title, std::string date = "2026-03-14") {
  XmlElement root("r:reporte");
  root.Attr("xmlns:r", kNs).Attr("version", "1");
  root.TextChild("r:titulo", std::move(title));
  root.TextChild("r:fecha", std::move(date));
  root.Child("r:firma").Attr("resultado", "valida").Text("Persona Ficticia Uno");
  root.Child("r:firma").Attr("resultado", "invalida").Text("Persona Ficticia Dos <\"&'>");
  return root;
}

}  // namespace rubrica::signing::testing
