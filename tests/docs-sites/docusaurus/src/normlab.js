import 'normlab/element'; // the element, in the browser
