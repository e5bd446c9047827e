// Fills each map popup with the site's details, which the page renders (escaped) in
// <template data-popup-for="CODE"> elements: no site text ever passes through Folium.
// Also: popups sized to fit the map (a phone's map is narrower than Folium's 320 px), and
// markers that a keyboard reaches with Tab and opens with Enter or Space.
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

  function fitToMap(popup) {
    var size = map.getSize();
    // The content's width; the popup adds about 50 px of padding and its close button.
    popup.options.maxWidth = Math.min(320, size.x - 90);
    popup.options.minWidth = Math.min(200, size.x - 90);
    popup.options.maxHeight = size.y - 80;
    popup.options.autoPanPadding = [12, 12];
  }

  // Below, where a popup (opened above its marker) does not run into the zoom buttons.
  if (map.zoomControl) {
    map.zoomControl.setPosition("bottomright");
  }

  map.on("popupopen", function (event) {
    var placeholder = event.popup.getElement().querySelector(".site-popup[data-code]");
    var template = placeholder && templates.get(placeholder.dataset.code);
    if (template) {
      placeholder.replaceWith(template.content.cloneNode(true));
    }
    fitToMap(event.popup);
    event.popup.update();
  });

  map.eachLayer(function (layer) {
    var element = layer.getElement && layer.getElement();
    var popup = layer.getPopup && layer.getPopup();
    if (!element || !popup) {
      return;
    }
    var content = popup.getContent();
    var link = typeof content === "string" ? null : content.querySelector(".site-popup");
    var template = link && templates.get(link.dataset.code);
    var name = template && template.content.querySelector(".popup-name");
    element.setAttribute("tabindex", "0");
    element.setAttribute("role", "button");
    element.setAttribute("aria-label", name ? name.textContent : (link ? link.dataset.code : ""));
    element.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        layer.openPopup();
      }
    });
  });
}());
