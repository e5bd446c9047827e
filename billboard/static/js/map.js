// Fills each map popup with the site's details, which the page renders (escaped) in
// <template data-popup-for="CODE"> elements: no site text ever passes through Folium.
(function () {
  "use strict";
  var frame = document.querySelector(".map-frame[data-map]");
  var map = frame && window[frame.dataset.map];
  if (!map) {
    return;
  }
  var templates = new Map();
  document.querySelectorAll("template[data-popup-for]").forEach(function (template) {
    templates.set(template.dataset.popupFor, template);
  });
  map.on("popupopen", function (event) {
    var placeholder = event.popup.getElement().querySelector(".site-popup[data-code]");
    var template = placeholder && templates.get(placeholder.dataset.code);
    if (template) {
      placeholder.replaceWith(template.content.cloneNode(true));
      event.popup.update();
    }
  });
}());
