#include "demo_people.h"

namespace rubrica::server::demo {

const std::vector<DemoSeat>& DemoSeats() {
  static const std::vector<DemoSeat> kSeats = {
      {"authority", "Gobierno municipal",
       {"C. Julián Andrade Pineda", "Secretario del Ayuntamiento de Zamora, Michoacán",
        "julian.andrade@demo.rubrica.invalid", "Titular, Gobierno municipal", lang::Gender::kMasculine},
       {"Lic. Rebeca Sandoval Mier", "Directora de Innovación Gubernamental del Ayuntamiento de Zamora",
        "rebeca.sandoval@demo.rubrica.invalid", "Suplente, Gobierno municipal", lang::Gender::kFeminine}},
      {"organismo_garante", "Organismo garante (IMAIP)",
       {"L.I. Adrián Medina Solórzano",
        "Subcoordinador de Estado Abierto y Transparencia Proactiva y Enlace del IMAIP",
        "adrian.medina@demo.rubrica.invalid", "Titular, Organismo garante", lang::Gender::kMasculine},
       {"Lic. Paulina Treviño Osuna", "Jefa de Departamento de Transparencia Proactiva del IMAIP",
        "paulina.trevino@demo.rubrica.invalid", "Suplente, Organismo garante", lang::Gender::kFeminine}},
      {"civil_society", "Sociedad civil",
       {"Ing. Tomás Ibarra Zepeda",
        "Presidente de la Red Vecinal Zamora Participa y representante de la Sociedad Civil",
        "tomas.ibarra@demo.rubrica.invalid", "Titular, Sociedad civil", lang::Gender::kMasculine},
       {"Lic. Carmen Lucía Peñaloza Ríos", "Secretaria de la Red Vecinal Zamora Participa",
        "carmen.penaloza@demo.rubrica.invalid", "Suplente, Sociedad civil", lang::Gender::kFeminine}},
      {"academia", "Academia",
       {"Dra. Natalia Cervantes Ochoa", "Representante de la Academia",
        "natalia.cervantes@demo.rubrica.invalid", "Titular, Academia", lang::Gender::kFeminine},
       {"Mtro. Óscar Begoña Iturbide", "Representante suplente de la Academia",
        "oscar.begona@demo.rubrica.invalid", "Suplente, Academia", lang::Gender::kMasculine}},
      {"citizens", "Ciudadanía",
       {"Gerardo Elías Fuentes Mora", "Representante de la Ciudadanía",
        "gerardo.fuentes@demo.rubrica.invalid", "Titular, Ciudadanía", lang::Gender::kMasculine},
       {"Araceli Núñez Castañeda", "Representante suplente de la Ciudadanía",
        "araceli.nunez@demo.rubrica.invalid", "Suplente, Ciudadanía", lang::Gender::kFeminine}},
  };
  return kSeats;
}

const DemoPerson& DemoFacilitator() {
  static const DemoPerson kFacilitator = {
      "Mtra. Verónica Itzel Paredes Núñez",
      "Enlace Responsable de la Unidad de Transparencia, Acceso a la Información y Protección de "
      "Datos Personales",
      "veronica.paredes@demo.rubrica.invalid", "Facilitadora", lang::Gender::kFeminine};
  return kFacilitator;
}

const std::vector<DemoPerson>& DemoSubscribers() {
  static const std::vector<DemoPerson> kSubscribers = {
      {"Mtro. Rodrigo Anaya Villaseñor", "Presidente Municipal de Zamora, Michoacán",
       "rodrigo.anaya@demo.rubrica.invalid", "Presidente Municipal", lang::Gender::kMasculine},
      {"Mtro. Ernesto Quiroga Landa", "Comisionado Presidente del IMAIP",
       "ernesto.quiroga@demo.rubrica.invalid", "Comisionado Presidente del IMAIP", lang::Gender::kMasculine},
  };
  return kSubscribers;
}

}  // namespace rubrica::server::demo
